//! Walker → workers: found files travel in small batches, not one by one.
//!
//! A worker with nothing to do sleeps on the channel, and every send to a sleeping
//! worker is a futex wake and a context switch (a few microseconds). On an unchanged
//! re-scan a file costs the workers less than that, so per-file sends made the wakes
//! a tenth of the re-scan's CPU. A batch of [`BATCH`] files costs one wake; on a
//! first scan it delays a worker by the time the walker takes to find [`BATCH`]
//! files, and leaves at most one batch unbalanced at the end.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Files per batch.
const BATCH: usize = 32;

/// The walker's side: files gathered until a batch is full. Several walker threads
/// share it (the lock is uncontended most of the time, and far cheaper than a wake).
pub(super) struct Batcher<T> {
    pending: Mutex<Vec<T>>,
    tx: SyncSender<Vec<T>>,
}

/// A bounded hand-off of at most `files_in_flight` files (rounded up to whole batches):
/// the walker never runs far ahead of the workers.
pub(super) fn channel<T>(files_in_flight: usize) -> (Batcher<T>, Receiver<Vec<T>>) {
    let (tx, rx) = sync_channel(files_in_flight.div_ceil(BATCH).max(1));
    (
        Batcher {
            pending: Mutex::new(Vec::with_capacity(BATCH)),
            tx,
        },
        rx,
    )
}

impl<T> Batcher<T> {
    /// Adds a file; sends the batch when it is full. Sending happens outside the lock,
    /// so a walker blocked on a full channel does not block the other walkers' pushes
    /// longer than one swap.
    pub(super) fn push(&self, file: T) {
        let full = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.push(file);
            (pending.len() >= BATCH)
                .then(|| std::mem::replace(&mut *pending, Vec::with_capacity(BATCH)))
        };
        if let Some(batch) = full {
            // A closed channel means the workers stopped (cancelled): nothing to do.
            let _ = self.tx.send(batch);
        }
    }

    /// Sends what is left and closes the walker's side: the workers end when the
    /// channel is drained.
    pub(super) fn finish(self) {
        let rest = self.pending.into_inner().unwrap_or_else(|e| e.into_inner());
        if !rest.is_empty() {
            let _ = self.tx.send(rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::walk::SourceFile;
    use std::path::{Path, PathBuf};

    fn file(i: usize) -> SourceFile {
        SourceFile {
            root: Path::new("/r").into(),
            path: PathBuf::from(format!("/r/{i}")),
            rel: i.to_string(),
            size: 0,
            mtime: None,
        }
    }

    #[test]
    fn every_file_arrives_once_in_order_of_pushes_and_the_channel_then_closes() {
        for n in [0, 1, BATCH - 1, BATCH, BATCH + 1, 5 * BATCH + 7] {
            let (batcher, rx) = channel(16 * 1024);
            let reader = std::thread::spawn(move || {
                let batches: Vec<Vec<SourceFile>> = rx.into_iter().collect();
                assert!(batches.iter().all(|b| !b.is_empty() && b.len() <= BATCH));
                batches
                    .into_iter()
                    .flatten()
                    .map(|f| f.rel)
                    .collect::<Vec<_>>()
            });
            for i in 0..n {
                batcher.push(file(i));
            }
            batcher.finish();
            let got = reader.join().unwrap();
            let want: Vec<String> = (0..n).map(|i| i.to_string()).collect();
            assert_eq!(got, want, "{n} files");
        }
    }

    #[test]
    fn a_small_bound_still_passes_every_file_when_the_reader_keeps_up() {
        let (batcher, rx) = channel(1);
        let reader = std::thread::spawn(move || rx.into_iter().map(|b| b.len()).sum::<usize>());
        for i in 0..10 * BATCH + 3 {
            batcher.push(file(i));
        }
        batcher.finish();
        assert_eq!(reader.join().unwrap(), 10 * BATCH + 3);
    }
}
