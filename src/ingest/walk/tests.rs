//! The walkers' specification: what each kind of entry gives, and that the listing
//! walker (with and without kept listings) reports what walkdir reports.

use super::*;

fn collect(root: &Path, opts: &WalkOptions) -> Vec<String> {
    let mut out = vec![];
    walk(&[root.to_path_buf()], opts, |e| match e {
        WalkEvent::File(f) => out.push(format!("file {}", f.rel)),
        WalkEvent::Skipped { path, reason } => out.push(format!("skip {path}: {reason}")),
        WalkEvent::Error { path, reason } => out.push(format!("error {path}: {reason}")),
    })
    .unwrap();
    out
}

#[test]
fn hidden_files_are_walked_and_globs_apply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("home/jdoe")).unwrap();
    std::fs::write(dir.path().join("home/jdoe/.pgpass"), "x").unwrap();
    std::fs::write(dir.path().join("home/jdoe/app.log"), "x").unwrap();
    std::fs::create_dir_all(dir.path().join("node_modules/x")).unwrap();
    std::fs::write(dir.path().join("node_modules/x/a.js"), "x").unwrap();
    let opts = WalkOptions {
        exclude: vec!["*.log".into(), "node_modules".into()],
        ..Default::default()
    };
    assert_eq!(collect(dir.path(), &opts), vec!["file home/jdoe/.pgpass"]);
    let opts = WalkOptions {
        include: vec!["*.log".into()],
        ..Default::default()
    };
    assert_eq!(
        collect(dir.path(), &opts),
        vec!["file home/jdoe/app.log", "file node_modules/x/a.js"]
            .into_iter()
            .filter(|s| s.ends_with(".log"))
            .collect::<Vec<_>>()
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_fifos_are_events_not_failures() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("a")).unwrap();
    std::fs::write(d.join("a/f.txt"), "x").unwrap();
    std::os::unix::fs::symlink(d.join("a"), d.join("a/loop")).unwrap();
    let fifo = d.join("pipe");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    let not_followed = collect(d, &WalkOptions::default());
    assert!(not_followed.contains(&"file a/f.txt".to_string()));
    assert!(
        not_followed
            .iter()
            .any(|l| l.starts_with("skip a/loop: symlink"))
    );
    if status.map(|s| s.success()).unwrap_or(false) {
        assert!(
            not_followed
                .iter()
                .any(|l| l.starts_with("skip pipe: special file (FIFO)"))
        );
    }
    let followed = collect(
        d,
        &WalkOptions {
            follow_symlinks: true,
            ..Default::default()
        },
    );
    assert!(
        followed
            .iter()
            .any(|l| l.starts_with("error a/loop") && l.contains("loop"))
    );
}

/// Several walkers give the events of one walker (in another order): a tree wide
/// and deep enough to be split, with excluded folders, an include glob, a symlink
/// and a file that is too large.
#[test]
fn parallel_walkers_report_what_one_walker_reports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for i in 0..40 {
        for j in 0..3 {
            let sub = d.join(format!("site{i:02}/area{j}/cab"));
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(sub.join("notes.txt"), "x").unwrap();
            std::fs::write(sub.join("app.log"), "x").unwrap();
            std::fs::write(d.join(format!("site{i:02}/area{j}/big.bin")), [0u8; 64]).unwrap();
        }
        std::fs::create_dir_all(d.join(format!("site{i:02}/node_modules/x"))).unwrap();
        std::fs::write(d.join(format!("site{i:02}/node_modules/x/a.js")), "x").unwrap();
    }
    std::fs::write(d.join("top.txt"), "x").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("site01"), d.join("site00/link")).unwrap();
    let sorted_events =
        |opts: &WalkOptions, threads: usize| events_at(d, opts, threads, None, listing::now_ns());
    for opts in [
        WalkOptions {
            exclude: vec!["node_modules".into(), "*.log".into()],
            max_file_size: 10,
            ..Default::default()
        },
        WalkOptions {
            include: vec!["*.log".into()],
            ..Default::default()
        },
    ] {
        let one = sorted_events(&opts, 1);
        assert!(one.len() > 100, "{}", one.len());
        assert_eq!(sorted_events(&opts, 2), one);
        assert_eq!(sorted_events(&opts, 5), one);
    }
}

/// One event as a line: what it is, where, and why or how big.
fn line(e: WalkEvent) -> String {
    match e {
        WalkEvent::File(f) => format!("file {} {}", f.rel, f.size),
        WalkEvent::Skipped { path, reason } => format!("skip {path}: {reason}"),
        WalkEvent::Error { path, reason } => format!("error {path}: {reason}"),
    }
}

/// Every event of a walk, as one sorted list of lines.
fn events_at(
    root: &Path,
    opts: &WalkOptions,
    threads: usize,
    cache: Option<&dyn ListingCache>,
    started_ns: i64,
) -> Vec<String> {
    let out = std::sync::Mutex::new(Vec::new());
    walk_parallel_at(
        &[root.to_path_buf()],
        opts,
        threads,
        cache,
        started_ns,
        |e| out.lock().unwrap().push(line(e)),
    )
    .unwrap();
    let mut v = out.into_inner().unwrap();
    v.sort();
    v
}

/// Keeps the last walk's listings in memory; the walk reads them encoded, as an
/// engagement keeps them on disk.
#[derive(Default)]
struct Kept(std::sync::Mutex<Option<std::sync::Arc<listing::Listings>>>);

impl ListingCache for Kept {
    fn listings(&self, _root: &Path) -> Option<std::sync::Arc<listing::KeptListings>> {
        let kept = self.0.lock().unwrap().clone()?;
        listing::KeptListings::decode(kept.encode()).map(std::sync::Arc::new)
    }
    fn keep(&self, _root: &Path, listings: listing::Listings) {
        *self.0.lock().unwrap() = Some(std::sync::Arc::new(listings));
    }
}

/// A walk that takes unchanged folders from kept listings reports exactly what a
/// walk reading every folder reports, after files and folders were added, removed
/// and replaced; and a kept listing is believed exactly while its folder's stamp
/// holds (a planted phantom entry shows which listings were used).
#[cfg(unix)]
#[test]
fn kept_listings_give_the_events_of_a_full_walk() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for i in 0..12 {
        for j in 0..3 {
            let sub = d.join(format!("site{i:02}/area{j}/cab"));
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(sub.join("notes.txt"), format!("x{i}{j}")).unwrap();
        }
        std::fs::create_dir_all(d.join(format!("site{i:02}/node_modules/x"))).unwrap();
        std::fs::write(d.join(format!("site{i:02}/node_modules/x/a.js")), "x").unwrap();
    }
    let opts = WalkOptions {
        exclude: vec!["node_modules".into()],
        ..Default::default()
    };
    let secs = 1_000_000_000i64;
    // The tree was just made: at the real time every folder is too recent to keep.
    let kept = Kept::default();
    let now = listing::now_ns();
    assert_eq!(
        events_at(d, &opts, 2, Some(&kept), now),
        events_at(d, &opts, 2, None, now)
    );
    assert!(kept.0.lock().unwrap().is_none(), "nothing settled yet");
    // A minute later every walked folder (not the excluded ones) is kept.
    let later = now + 60 * secs;
    let full = events_at(d, &opts, 2, None, later);
    assert_eq!(events_at(d, &opts, 2, Some(&kept), later), full);
    let listings = kept.0.lock().unwrap().clone().unwrap();
    assert_eq!(
        listings.dirs.len(),
        1 + 12 * (1 + 3 + 3),
        "root, sites, areas, cabinets"
    );
    assert!(!listings.dirs.keys().any(|k| k.contains("node_modules")));
    assert_eq!(
        events_at(d, &opts, 1, Some(&kept), later),
        full,
        "one walker too"
    );

    // Changes: a file added, one removed, one replaced by a link, a folder
    // removed, a folder added with a file.
    std::fs::write(d.join("site03/area1/cab/new.txt"), "added").unwrap();
    std::fs::remove_file(d.join("site04/area0/cab/notes.txt")).unwrap();
    std::fs::remove_file(d.join("site05/area2/cab/notes.txt")).unwrap();
    std::os::unix::fs::symlink(d.join("site01"), d.join("site05/area2/cab/notes.txt")).unwrap();
    std::fs::remove_dir_all(d.join("site06/area1")).unwrap();
    std::fs::create_dir_all(d.join("site07/fresh")).unwrap();
    std::fs::write(d.join("site07/fresh/x.txt"), "x").unwrap();
    // A phantom entry planted in one unchanged and one changed folder's listing.
    let mut planted = (*listings).clone();
    for folder in ["site02/area0/cab", "site03/area1/cab"] {
        planted
            .dirs
            .get_mut(folder)
            .unwrap()
            .entries
            .push(("phantom.txt".into(), listing::EntryKind::File));
    }
    *kept.0.lock().unwrap() = Some(std::sync::Arc::new(planted));
    let much_later = later + 60 * secs;
    let full = events_at(d, &opts, 2, None, much_later);
    let with_kept = events_at(d, &opts, 2, Some(&kept), much_later);
    let phantoms: Vec<&String> = with_kept.iter().filter(|e| e.contains("phantom")).collect();
    assert_eq!(
        phantoms,
        ["error site02/area0/cab/phantom.txt: vanished during the scan (not found)"],
        "the unchanged folder's listing was used, the changed folder's was not"
    );
    let real: Vec<String> = with_kept
        .into_iter()
        .filter(|e| !e.contains("phantom"))
        .collect();
    assert_eq!(real, full);
    assert!(full.contains(&"file site03/area1/cab/new.txt 5".to_string()));
    assert!(full.contains(&"file site07/fresh/x.txt 1".to_string()));
    assert!(
        full.iter()
            .any(|e| e.starts_with("skip site05/area2/cab/notes.txt: symlink"))
    );
    // The kept listings now describe the tree as it is, but for the phantom of the
    // unchanged folder: its stamp still holds, so its listing is carried over.
    let after = kept.0.lock().unwrap().clone().unwrap();
    let truth = Kept::default();
    events_at(d, &opts, 2, Some(&truth), much_later);
    let truth = truth.0.lock().unwrap().clone().unwrap();
    let mut after = (*after).clone();
    after
        .dirs
        .get_mut("site02/area0/cab")
        .unwrap()
        .entries
        .retain(|(n, _)| n != "phantom.txt");
    assert_eq!(after, *truth);
}

/// A root that is a file, or that does not exist, gives the events walkdir gives.
#[test]
fn odd_roots_give_the_events_of_walkdir() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lone.txt");
    std::fs::write(&file, "x").unwrap();
    let opts = WalkOptions::default();
    for root in [file.clone(), dir.path().join("missing")] {
        let listed = events_at(&root, &opts, 2, None, listing::now_ns());
        let mut reference = Vec::new();
        walk(std::slice::from_ref(&root), &opts, |e| {
            reference.push(line(e))
        })
        .unwrap();
        assert_eq!(listed, reference, "{}", root.display());
        assert_eq!(listed.len(), 1);
    }
}

#[test]
fn too_large_files_are_skipped_with_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.txt"), vec![b'a'; 100]).unwrap();
    let opts = WalkOptions {
        max_file_size: 10,
        ..Default::default()
    };
    let got = collect(dir.path(), &opts);
    assert!(got[0].starts_with("skip big.txt: too large: 100 bytes"));
}

/// A sink that panics on one file ends the walk with that panic (the other walkers
/// stop) instead of leaving them waiting for the folders of the one that unwound.
#[test]
fn a_panicking_sink_ends_the_walk_instead_of_hanging_it() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..30 {
        let sub = dir.path().join(format!("a{i:02}/b/c"));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("f.txt"), "x").unwrap();
    }
    let root = dir.path().to_path_buf();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let walked = std::panic::catch_unwind(|| {
            walk_parallel(&[root], &WalkOptions::default(), 2, None, |e| {
                if let WalkEvent::File(f) = e
                    && f.rel.starts_with("a07/")
                {
                    panic!("sink failed");
                }
            })
        });
        let _ = done_tx.send(walked.is_err());
    });
    let panicked = done_rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the walk ended instead of hanging");
    assert!(panicked, "the sink's panic reaches the caller");
}
