//! One worker pool for the batch jobs (import, re-verify, `satchel verify`):
//! a few threads take jobs from a [`Source`] until it runs dry or the cancel
//! switch is set, and the caller keeps each result in its [`Slots`] place,
//! so results come back in input order however the threads finish.
//!
//! It must not: know what a job is; hold more than the jobs in hand.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// How many threads to run: `asked`, or four per core (checks mostly wait
/// on the network), between 1 and 64, never more than there are jobs.
pub fn workers(asked: usize, jobs: usize) -> usize {
    match asked {
        0 => std::thread::available_parallelism().map_or(8, |n| n.get() * 4),
        n => n,
    }
    .clamp(1, 64)
    .min(jobs.max(1))
}

/// Where the threads take their jobs from: `(position, job)`, `None` when
/// there are no more.
pub trait Source<J>: Sync {
    /// The next job.
    fn next_job(&self) -> Option<(usize, J)>;
}

/// The items of a slice, in order.
pub struct Indexed<'a, T> {
    items: &'a [T],
    next: AtomicUsize,
}

impl<'a, T> Indexed<'a, T> {
    /// Every item of `items`.
    pub fn new(items: &'a [T]) -> Indexed<'a, T> {
        Indexed {
            items,
            next: AtomicUsize::new(0),
        }
    }
}

impl<'a, T: Sync> Source<&'a T> for Indexed<'a, T> {
    fn next_job(&self) -> Option<(usize, &'a T)> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        self.items.get(i).map(|item| (i, item))
    }
}

/// Runs `work(position, job, done)` on `workers` threads for every job
/// `source` gives (`done` counts the jobs finished, this one included),
/// while `feed` runs on the calling thread (a producer filling a queue the
/// source reads; `|| {}` when the source is complete). Once `cancel` is set
/// the threads take the jobs still coming without working on them, so a
/// producer never waits on a full queue. Returns when every thread is done.
pub fn run<J: Send>(
    workers: usize,
    cancel: &AtomicBool,
    source: &dyn Source<J>,
    work: &(dyn Fn(usize, J, usize) + Sync),
    feed: impl FnOnce(),
) {
    let done = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| {
                while let Some((i, job)) = source.next_job() {
                    if cancel.load(Ordering::Relaxed) {
                        continue;
                    }
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    work(i, job, n);
                }
            });
        }
        feed();
    });
}

/// One place per job for its result, filled in any order.
pub struct Slots<R>(Vec<Mutex<Option<R>>>);

impl<R> Slots<R> {
    /// `n` empty places.
    pub fn new(n: usize) -> Slots<R> {
        Slots((0..n).map(|_| Mutex::new(None)).collect())
    }

    /// Keeps `result` as job `i`'s.
    pub fn put(&self, i: usize, result: R) {
        if let Some(slot) = self.0.get(i) {
            *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
        }
    }

    /// Runs `f` on job `i`'s result, if it is in.
    pub fn with<T>(&self, i: usize, f: impl FnOnce(&mut R) -> T) -> Option<T> {
        let mut slot = self
            .0
            .get(i)?
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        slot.as_mut().map(f)
    }

    /// How many places there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The results in job order, without the jobs never done (cancelled).
    pub fn into_done(self) -> Vec<R> {
        self.0
            .into_iter()
            .filter_map(|m| m.into_inner().unwrap_or_else(PoisonError::into_inner))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order_whatever_the_threads_do() {
        let jobs: Vec<u64> = (0..200).collect();
        let slots = Slots::new(jobs.len());
        let finished = AtomicUsize::new(0);
        run(
            8,
            &AtomicBool::new(false),
            &Indexed::new(&jobs),
            &|i, &n, done| {
                // Later jobs finish first.
                std::thread::sleep(std::time::Duration::from_micros(200 - n));
                finished.fetch_max(done, Ordering::Relaxed);
                slots.put(i, n * 2);
            },
            || {},
        );
        assert_eq!(finished.into_inner(), 200);
        assert_eq!(
            slots.into_done(),
            (0..200).map(|n| n * 2).collect::<Vec<_>>()
        );
    }

    #[test]
    fn cancelling_stops_taking_work_and_keeps_what_is_done() {
        let jobs: Vec<usize> = (0..1000).collect();
        let slots = Slots::new(jobs.len());
        let cancel = AtomicBool::new(false);
        run(
            2,
            &cancel,
            &Indexed::new(&jobs),
            &|i, &n, _| {
                if n == 10 {
                    cancel.store(true, Ordering::SeqCst);
                }
                slots.put(i, n);
            },
            || {},
        );
        let done = slots.into_done();
        assert!(done.len() < 20, "{}", done.len());
        assert!(done.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_producer_feeds_the_threads_from_the_calling_thread() {
        struct Channel(Mutex<std::sync::mpsc::Receiver<(usize, String)>>);
        impl Source<String> for Channel {
            fn next_job(&self) -> Option<(usize, String)> {
                self.0.lock().ok()?.recv().ok()
            }
        }
        let (send, receive) = std::sync::mpsc::channel();
        let source = Channel(Mutex::new(receive));
        let slots = Slots::new(50);
        run(
            4,
            &AtomicBool::new(false),
            &source,
            &|i, text: String, _| slots.put(i, text.len()),
            move || {
                for i in 0..50 {
                    let _ = send.send((i, "x".repeat(i)));
                }
            },
        );
        assert_eq!(slots.into_done(), (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn thread_counts_stay_between_one_and_the_jobs() {
        assert_eq!(workers(0, 0), 1);
        assert_eq!(workers(3, 100), 3);
        assert_eq!(workers(500, 1000), 64);
        assert_eq!(workers(8, 2), 2);
        assert!(workers(0, 1000) >= 1);
    }
}
