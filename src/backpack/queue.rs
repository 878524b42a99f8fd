//! The queue between an import's one reader (the folder walker and zip
//! reader) and its workers, bounded in items and in bytes: the reader waits
//! while the bytes queued would pass [`crate::limits::MAX_IMPORT_QUEUE_BYTES`],
//! so a folder or archive of large images never piles up in memory faster
//! than the workers take it. One item larger than the cap still goes
//! through, alone.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

pub(crate) struct Queue<T> {
    state: Mutex<State<T>>,
    changed: Condvar,
    max_items: usize,
    max_bytes: usize,
}

struct State<T> {
    items: VecDeque<(T, usize)>,
    bytes: usize,
    closed: bool,
    /// The most bytes ever queued at once while more than one item was.
    peak_shared: usize,
}

impl<T> Queue<T> {
    pub(crate) fn new(max_items: usize, max_bytes: usize) -> Queue<T> {
        Queue {
            state: Mutex::new(State {
                items: VecDeque::new(),
                bytes: 0,
                closed: false,
                peak_shared: 0,
            }),
            changed: Condvar::new(),
            max_items: max_items.max(1),
            max_bytes,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds `item` of `bytes` bytes, waiting while the queue is not empty and
    /// the item would pass either cap.
    pub(crate) fn push(&self, item: T, bytes: usize) {
        let mut state = self.lock();
        while !state.items.is_empty()
            && (state.items.len() >= self.max_items
                || state.bytes.saturating_add(bytes) > self.max_bytes)
        {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.items.push_back((item, bytes));
        state.bytes += bytes;
        if state.items.len() > 1 {
            state.peak_shared = state.peak_shared.max(state.bytes);
        }
        drop(state);
        self.changed.notify_all();
    }

    /// The next item, waiting for one; `None` once the queue is closed and empty.
    pub(crate) fn pop(&self) -> Option<T> {
        let mut state = self.lock();
        loop {
            if let Some((item, bytes)) = state.items.pop_front() {
                state.bytes -= bytes;
                drop(state);
                self.changed.notify_all();
                return Some(item);
            }
            if state.closed {
                return None;
            }
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// No more items will come: `pop` returns `None` once the queue is empty.
    pub(crate) fn close(&self) {
        self.lock().closed = true;
        self.changed.notify_all();
    }

    /// The most bytes queued at once while the queue held more than one item
    /// (never more than the byte cap).
    #[cfg(test)]
    pub(crate) fn peak_shared_bytes(&self) -> usize {
        self.lock().peak_shared
    }
}

/// The import's workers take their jobs from the queue.
impl<J: Send> crate::pool::Source<J> for Queue<(usize, J)> {
    fn next_job(&self) -> Option<(usize, J)> {
        self.pop()
    }
}

#[cfg(test)]
mod tests {
    use super::Queue;

    #[test]
    fn queued_bytes_never_pass_the_cap_and_a_larger_item_goes_alone() {
        const CAP: usize = 1000;
        let queue = Queue::<Vec<u8>>::new(64, CAP);
        // Sizes that fill the queue in different ways, and one item three
        // times the cap.
        let sizes: Vec<usize> = (0..300)
            .map(|i| {
                if i == 150 {
                    3 * CAP
                } else {
                    1 + (i * 37) % 400
                }
            })
            .collect();
        let received = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| {
                    while let Some(item) = queue.pop() {
                        // Slow consumers, so the reader has to wait on the cap.
                        std::thread::sleep(std::time::Duration::from_micros(200));
                        received.lock().unwrap().push(item.len());
                    }
                });
            }
            for &n in &sizes {
                queue.push(vec![0u8; n], n);
            }
            queue.close();
        });
        let mut received = received.into_inner().unwrap();
        received.sort_unstable();
        let mut sent = sizes.clone();
        sent.sort_unstable();
        assert_eq!(received, sent, "every item came through once");
        let peak = queue.peak_shared_bytes();
        assert!(peak <= CAP, "{peak} bytes were queued at once");
        assert!(peak > CAP / 2, "the queue never filled up: {peak}");
    }
}
