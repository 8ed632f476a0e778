#![no_main]
//! An answers file (TOML, and the same bytes as JSON) read against the core model and
//! an empty engagement: the import check must refuse bad files with a message.
use credence::assess::{answers_file, template};
use credence::store::{Engagement, NewEngagement};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

struct Fixture {
    _dir: tempfile::TempDir,
    engagement: Engagement,
    model: template::Template,
    toml: PathBuf,
    json: PathBuf,
}

thread_local! {
    static FIXTURE: Fixture = {
        let dir = tempfile::tempdir().unwrap();
        let key = credence::vault::FingerprintKey::from_bytes([4; 32]);
        let record = credence::vault::engagement::wrap("fuzz", &key, "pw").unwrap();
        let meta = NewEngagement { client: "Fuzz".into(), site: "Lab".into(), ..Default::default() };
        let engagement = Engagement::create(&dir.path().join("f.credence"), &meta, "fuzz", &record).unwrap();
        let model = template::builtin().unwrap().into_iter().next().unwrap();
        let (toml, json) = (dir.path().join("a.toml"), dir.path().join("a.json"));
        Fixture { _dir: dir, engagement, model, toml, json }
    };
}

fuzz_target!(|data: &[u8]| {
    FIXTURE.with(|f| {
        for path in [&f.toml, &f.json] {
            std::fs::write(path, data).unwrap();
            let _ = answers_file::read(path, &f.model, &f.engagement);
        }
    });
});
