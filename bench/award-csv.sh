#!/bin/sh
# Awards N rows of a CSV file (default 200) to an OB 3.0 class with the
# `satchel` CLI on a fresh data folder, and prints the wall time; compare
# with the desktop app's figure from the E2E test
# (`TAURI_E2E=1 cargo test -p satchel-desktop --test e2e issue_award_csv -- --nocapture`,
# line `bench: awarded 200 from CSV in the app`). Both use the debug build
# unless SATCHEL points at another binary.
set -eu
N=${1:-200}
SATCHEL=${SATCHEL:-target/debug/satchel}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export SATCHEL_DATA_DIR="$dir/data"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256"><circle cx="128" cy="128" r="120" fill="#2b59c3"/></svg>' > "$dir/class.svg"
"$SATCHEL" issuer create --name "Harbour Coding Club" --url https://club.example/ \
  --email badges@club.example --base-url https://club.example/badges/ > /dev/null
"$SATCHEL" badgeclass create --issuer 1 --name "Harbour Navigator" --description "Plotted a course." \
  --image "$dir/class.svg" --criteria "Plot a course." --format ob3 --suspendable > /dev/null
{
  echo "identity,name,narrative"
  i=0
  while [ "$i" -lt "$N" ]; do
    echo "sailor$i@example.org,Sailor $i,Crossed the harbour in fog."
    i=$((i + 1))
  done
} > "$dir/sailors.csv"
start=$(date +%s.%N)
"$SATCHEL" award --class 1 --csv "$dir/sailors.csv" --out "$dir/out" > /dev/null
end=$(date +%s.%N)
echo "cli: awarded $N from CSV in $(echo "$end - $start" | bc) s"
