//! Architecture rules checked as tests (see ARCHITECTURE.md).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_core_library_has_no_gui_cli_or_anyhow_dependency() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .unwrap()
        .split("\n[")
        .next()
        .unwrap();
    for line in deps.lines() {
        let name = line.split('=').next().unwrap().trim();
        assert!(
            !["tauri", "anyhow", "tokio"].contains(&name),
            "core depends on {name}"
        );
        if name == "clap" {
            assert!(
                line.contains("optional = true"),
                "clap must stay optional (the `cli` feature)"
            );
        }
    }
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for f in files
        .iter()
        .filter(|f| !f.starts_with(root().join("src/bin")))
    {
        let text = std::fs::read_to_string(f).unwrap();
        for word in ["clap::", "tauri::", "anyhow"] {
            assert!(!text.contains(word), "{} mentions {word}", f.display());
        }
        // Only `fetch` opens sockets; only `store` touches SQLite.
        if !f.starts_with(root().join("src/fetch")) {
            assert!(
                !text.contains("reqwest"),
                "{} uses reqwest outside src/fetch",
                f.display()
            );
        }
        if !f.starts_with(root().join("src/store")) {
            assert!(
                !text.contains("rusqlite"),
                "{} uses rusqlite outside src/store",
                f.display()
            );
        }
    }
    let desktop = std::fs::read_to_string(root().join("src-tauri/Cargo.toml")).unwrap();
    let line = desktop
        .lines()
        .find(|l| l.trim_start().starts_with("satchel"))
        .unwrap();
    assert!(
        line.contains("default-features = false"),
        "the desktop app must not pull in the CLI: {line}"
    );
}

#[test]
fn architecture_md_names_every_core_module() {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    for line in lib.lines().filter_map(|l| l.strip_prefix("pub mod ")) {
        let module = line.trim_end_matches(';');
        assert!(
            doc.contains(&format!("`{module}`")),
            "ARCHITECTURE.md does not describe module `{module}`"
        );
    }
}

#[test]
fn no_stubs_or_skipped_tests() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "src-tauri/src", "src-tauri/tests"] {
        rust_files(&root().join(dir), &mut files);
    }
    let banned = [
        ["todo", "!("].concat(),
        ["unimplemented", "!("].concat(),
        ["#[", "ignore]"].concat(),
    ];
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for b in &banned {
            assert!(!text.contains(b.as_str()), "{} contains {b}", f.display());
        }
    }
}

/// The code map's "may use" column, read from ARCHITECTURE.md: module → the
/// core modules it may name. `all of the above` means every earlier row;
/// `every core module` means every row but its own.
fn allowed_uses() -> std::collections::BTreeMap<String, Vec<String>> {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let table = doc
        .split("## Code map")
        .nth(1)
        .expect("ARCHITECTURE.md has a `## Code map` section");
    let mut rows: Vec<(String, String)> = Vec::new();
    for line in table.lines().skip_while(|l| !l.starts_with('|')) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(name), Some(may)) = (cells.get(1), cells.get(3)) else {
            continue;
        };
        let name = name.trim_matches('`');
        if name.is_empty()
            || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            || !cells[1].starts_with('`')
        {
            continue;
        }
        rows.push((name.to_string(), may.to_string()));
    }
    let names: Vec<String> = rows.iter().map(|(n, _)| n.clone()).collect();
    let mut out = std::collections::BTreeMap::new();
    for (i, (name, may)) in rows.iter().enumerate() {
        // Crates come in `[…]`, remarks in `(…)`: neither names a module.
        let mut modules = String::new();
        let mut depth = 0;
        for c in may.split('[').next().unwrap().chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ if depth == 0 => modules.push(c),
                _ => {}
            }
        }
        let mut uses: Vec<String> = Vec::new();
        if modules.contains("all of the above") {
            uses.extend(names[..i].iter().cloned());
        }
        if modules.contains("every core module") {
            uses.extend(names.iter().filter(|n| *n != name).cloned());
        }
        for (k, part) in modules.split('`').enumerate() {
            if k % 2 == 1 {
                let top = part.split("::").next().unwrap();
                assert!(
                    names.iter().any(|n| n == top),
                    "ARCHITECTURE.md: row `{name}` may use `{part}`, which has no row"
                );
                uses.push(top.to_string());
            }
        }
        out.insert(name.clone(), uses);
    }
    out
}

/// One `crate::…` or `super::…` path in a core source file.
struct Edge {
    file: PathBuf,
    line: usize,
    /// The module path of the file, e.g. `["verify", "proof", "canon"]`.
    from: Vec<String>,
    /// The path named, resolved to start at the crate root.
    to: Vec<String>,
}

fn core_edges() -> Vec<Edge> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut edges = Vec::new();
    for f in files {
        let rel = f.strip_prefix(root().join("src")).unwrap();
        if rel.starts_with("bin") || rel == Path::new("lib.rs") {
            continue;
        }
        let mut from: Vec<String> = rel
            .with_extension("")
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        if from.last().is_some_and(|l| l == "mod") {
            from.pop();
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            for (at, _) in code
                .match_indices("crate::")
                .chain(code.match_indices("super::"))
            {
                let before = code[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == ':') {
                    continue;
                }
                let path: Vec<String> = code[at..]
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .next()
                    .unwrap()
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                let mut to = if path[0] == "crate" {
                    Vec::new()
                } else {
                    from.clone()
                };
                for seg in &path {
                    match seg.as_str() {
                        "crate" => {}
                        "super" => {
                            to.pop();
                        }
                        _ => to.push(seg.clone()),
                    }
                }
                edges.push(Edge {
                    file: rel.to_path_buf(),
                    line: n + 1,
                    from: from.clone(),
                    to,
                });
            }
        }
    }
    edges
}

#[test]
fn core_modules_use_only_what_the_code_map_allows() {
    let allowed = allowed_uses();
    let mut wrong = Vec::new();
    for e in core_edges() {
        let (from, Some(to)) = (&e.from[0], e.to.first()) else {
            continue;
        };
        if from == to {
            continue;
        }
        match allowed.get(from) {
            None => wrong.push(format!(
                "{}: module `{from}` has no row in the code map",
                e.file.display()
            )),
            Some(ok) if !ok.contains(to) => wrong.push(format!(
                "src/{}:{}: `{from}` uses `{to}`, which its row in ARCHITECTURE.md does not allow",
                e.file.display(),
                e.line
            )),
            Some(_) => {}
        }
    }
    wrong.dedup();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A cycle in `edges` (node → nodes), as the list of nodes around it.
fn find_cycle(
    edges: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        state: &mut std::collections::BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(2) => return None,
            Some(1) => {
                let start = stack.iter().position(|s| s == n).unwrap();
                let mut cycle = stack[start..].to_vec();
                cycle.push(n.to_string());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = std::collections::BTreeMap::new();
    for n in edges.keys() {
        if let Some(c) = visit(n, edges, &mut state, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

/// No circles between core modules, nor between the submodules of one module
/// (`verify::proof` and `verify::ob3`, say). A module's own `mod.rs` declares
/// its children, so edges to and from the parent itself do not count.
#[test]
fn core_modules_have_no_cycles() {
    use std::collections::{BTreeMap, BTreeSet};
    let edges = core_edges();
    let exists = |m: &[String]| {
        let p = root().join("src").join(m.join("/"));
        p.is_dir() || p.with_extension("rs").is_file()
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut sub: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut line_of = BTreeMap::new();
    for e in &edges {
        let Some(to) = e.to.first() else { continue };
        if &e.from[0] != to {
            graph
                .entry(e.from[0].clone())
                .or_default()
                .insert(to.clone());
            line_of
                .entry((e.from[0].clone(), to.clone()))
                .or_insert(format!("src/{}:{}", e.file.display(), e.line));
        } else if e.from.len() >= 2 && e.to.len() >= 2 && e.from[1] != e.to[1] {
            let to2 = e.to[..2].to_vec();
            if exists(&to2) {
                let (a, b) = (e.from[..2].join("::"), to2.join("::"));
                sub.entry(a.clone()).or_default().insert(b.clone());
                line_of
                    .entry((a, b))
                    .or_insert(format!("src/{}:{}", e.file.display(), e.line));
            }
        }
    }
    for g in [&graph, &sub] {
        if let Some(cycle) = find_cycle(g) {
            let steps: Vec<String> = cycle
                .windows(2)
                .map(|w| {
                    format!(
                        "{} -> {} ({})",
                        w[0],
                        w[1],
                        line_of[&(w[0].clone(), w[1].clone())]
                    )
                })
                .collect();
            panic!("module cycle: {}", steps.join(", "));
        }
    }
}

/// The functions of `src/` allowed over [`LONG_FN`] lines, each with the one-line
/// reason ARCHITECTURE.md's "Long files" section gives for it (the test checks
/// that the two lists are the same, and that every function here is still long).
const LONG_FNS: &[(&str, &str)] = &[(
    "bake::svg::scan_in",
    "one streaming pass over XML events whose state (depth, scopes, the open badge \
         element, the early stop) every branch shares; the state machine reads best whole.",
)];

/// The most lines a function of `src/` may have, from `fn` to its closing brace.
const LONG_FN: usize = 100;

/// `text` with comments, string and character literals blanked (newlines kept), so
/// that braces and `fn` are only seen in code.
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, s: &[char]| {
        out.extend(s.iter().map(|&ch| if ch == '\n' { '\n' } else { ' ' }));
    };
    let ident = |i: usize| i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_');
    let mut i = 0;
    while i < c.len() {
        let at = |s: &str| {
            s.chars()
                .enumerate()
                .all(|(k, ch)| c.get(i + k) == Some(&ch))
        };
        let end = if at("//") {
            c[i..]
                .iter()
                .position(|&ch| ch == '\n')
                .map_or(c.len(), |n| i + n)
        } else if at("/*") {
            let (mut depth, mut j) = (0, i);
            loop {
                match (c.get(j), c.get(j + 1)) {
                    (Some('/'), Some('*')) => (depth, j) = (depth + 1, j + 2),
                    (Some('*'), Some('/')) => (depth, j) = (depth - 1, j + 2),
                    (Some(_), _) => j += 1,
                    (None, _) => break j,
                }
                if depth == 0 {
                    break j;
                }
            }
        } else if (at("r\"") || at("r#") || at("br\"") || at("br#")) && !ident(i) {
            // A raw string: no escapes, ends at `"` and as many `#` as it opened with.
            let mut j = i + if c[i] == 'b' { 2 } else { 1 };
            let hashes = c[j..].iter().take_while(|&&ch| ch == '#').count();
            j += hashes;
            if c.get(j) != Some(&'"') {
                i + 1 // `r#ident`, a raw identifier
            } else {
                j += 1;
                while j < c.len()
                    && !(c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')))
                {
                    j += 1;
                }
                (j + 1 + hashes).min(c.len())
            }
        } else if c[i] == '"' {
            let mut j = i + 1;
            while j < c.len() && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            (j + 1).min(c.len())
        } else if c[i] == '\'' && c.get(i + 1) == Some(&'\\') {
            // An escaped character: `'\n'`, `'\''`, `'\u{7b}'`.
            let close = c[i + 3..].iter().position(|&ch| ch == '\'');
            close.map_or(c.len(), |n| i + 3 + n + 1)
        } else if c[i] == '\'' && c.get(i + 2) == Some(&'\'') {
            i + 3 // `'{'`; a lifetime `'a` has no closing quote
        } else {
            out.push(c[i]);
            i += 1;
            continue;
        };
        blank(&mut out, &c[i..end]);
        i = end;
    }
    out
}

/// Every function with a body in `src/`: (`module::path::name`, lines from the line of
/// `fn` to the line of its closing brace).
fn function_lengths() -> Vec<(String, usize)> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut out = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(root().join("src"))
            .unwrap()
            .with_extension("");
        let mut module: Vec<String> = rel
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        if module.len() > 1 && module.last().is_some_and(|l| l == "mod") {
            module.pop();
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (name, lines) in functions_in(&text, &f.display().to_string()) {
            out.push((format!("{}::{name}", module.join("::")), lines));
        }
    }
    out
}

/// The functions with a body in the Rust source `text` (of `file`): name and lines.
fn functions_in(text: &str, file: &str) -> Vec<(String, usize)> {
    let code = code_only(text);
    let line_at = |at: usize| code[..at].matches('\n').count();
    let word = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut out = Vec::new();
    for (at, _) in code.match_indices("fn ") {
        if code[..at].chars().next_back().is_some_and(word) {
            continue;
        }
        let rest = &code[at + 3..];
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|&ch| word(ch))
            .collect();
        if name.is_empty() {
            continue; // a `fn(…)` pointer type
        }
        // The body opens at the first `{` before a `;` outside brackets (`[u8; 4]`);
        // a declaration has none.
        let mut nesting = 0;
        let end = rest.char_indices().find(|&(_, ch)| {
            nesting += match ch {
                '(' | '[' => 1,
                ')' | ']' => -1,
                _ => 0,
            };
            ch == '{' || (ch == ';' && nesting == 0)
        });
        let Some((open, '{')) = end else { continue };
        let mut depth = 0;
        let close = rest[open..].char_indices().find_map(|(k, ch)| {
            depth += match ch {
                '{' => 1,
                '}' => -1,
                _ => 0,
            };
            (depth == 0).then_some(open + k)
        });
        let close = close.unwrap_or_else(|| panic!("{file}: `fn {name}` never closes"));
        out.push((name, line_at(at + 3 + close) - line_at(at) + 1));
    }
    out
}

/// The scan sees braces and `fn` only in code: not in comments, strings, raw
/// strings or character literals, and a lifetime is no literal.
#[test]
fn the_function_scan_counts_code_only() {
    let text = r##"
/// fn in_a_doc_comment() { {
fn a<'x>(s: &'x str, n: [u8; 4]) -> &'x str {
    let _ = ('{', '\'', b'}', "}\"{", r#"}"# , br"{");
    /* { /* nested } */ { */
    s
}
fn b();
fn c(f: fn(u8) -> u8) -> u8 { f(1) }
"##;
    assert_eq!(
        functions_in(text, "sample"),
        [("a".to_owned(), 5), ("c".to_owned(), 1)]
    );
}

/// No function of `src/` over [`LONG_FN`] lines but those [`LONG_FNS`] lists with a
/// reason; the list matches ARCHITECTURE.md's and holds only functions still long.
#[test]
fn no_function_is_over_100_lines_unless_architecture_md_says_why() {
    let lengths = function_lengths();
    assert!(
        lengths.iter().any(|(n, _)| n == "detect::sniff"),
        "the function scan found nothing"
    );
    let mut wrong = Vec::new();
    for (name, lines) in &lengths {
        if *lines > LONG_FN && !LONG_FNS.iter().any(|(n, _)| n == name) {
            wrong.push(format!(
                "`{name}` has {lines} lines (over {LONG_FN}): split it, or say why in \
                 ARCHITECTURE.md's \"Long files\" and in LONG_FNS"
            ));
        }
    }
    for (name, _) in LONG_FNS {
        let long = lengths.iter().any(|(n, l)| n == name && *l > LONG_FN);
        if !long {
            wrong.push(format!(
                "`{name}` is listed in LONG_FNS but is no function over {LONG_FN} lines (any \
                 more): drop it there and in ARCHITECTURE.md"
            ));
        }
    }
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let section = doc
        .split("### Long files")
        .nth(1)
        .expect("ARCHITECTURE.md has a `### Long files` section")
        .split("\n#")
        .next()
        .unwrap();
    let listed: Vec<(String, String)> = section
        .lines()
        .filter_map(|l| l.strip_prefix("- `"))
        .filter_map(|l| l.split_once("`: "))
        .filter(|(name, _)| name.contains("::"))
        .map(|(name, why)| (name.to_string(), why.to_string()))
        .collect();
    let ours: Vec<(String, String)> = LONG_FNS
        .iter()
        .map(|(n, why)| (n.to_string(), why.to_string()))
        .collect();
    if listed != ours {
        wrong.push(format!(
            "ARCHITECTURE.md's long functions (\"- `path::fn`: reason\", one line each) differ \
             from LONG_FNS:\n  ARCHITECTURE.md: {listed:?}\n  LONG_FNS:        {ours:?}"
        ));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
