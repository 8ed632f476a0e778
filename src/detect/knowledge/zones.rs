//! Zone hints from path words and addresses, for the engagement's zone rules.

/// Path or host-name words and the hint each gives.
const WORDS: &[(&str, &str)] = &[
    ("ot", "ot"),
    ("ics", "ot"),
    ("scada", "scada"),
    ("plc", "plc"),
    ("plcs", "plc"),
    ("hmi", "hmi"),
    ("dcs", "dcs"),
    ("historian", "historian"),
    ("pi", "historian"),
    ("engineering", "engineering"),
    ("ews", "engineering"),
    ("substation", "substation"),
    ("substations", "substation"),
    ("bridge", "bridge"),
    ("engineroom", "engine-room"),
    ("dmz", "dmz"),
    ("idmz", "dmz"),
    ("rtu", "rtu"),
    ("ied", "ied"),
    ("opc", "opc"),
    ("purdue", "ot"),
    ("fieldbus", "ot"),
    ("control", "control"),
    ("safety", "sis"),
    ("sis", "sis"),
    ("bms", "bms"),
    ("iot", "iot"),
    ("vendor", "vendor"),
];

/// Lowercase hints such as "ot", "scada", "level2", "subnet:192.0.2.0/24".
pub fn zone_hints(name: &str, system: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |h: String| {
        if !out.contains(&h) {
            out.push(h);
        }
    };
    for text in [Some(name), system].into_iter().flatten() {
        let lower = text.to_ascii_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        for (i, w) in words.iter().enumerate() {
            if let Some((_, h)) = WORDS.iter().find(|(k, _)| k == w) {
                add(h.to_string());
            }
            // "Level 2", "level2", "L2" (only next to "level" to avoid layer-2 noise).
            let level = w
                .strip_prefix("level")
                .filter(|d| d.len() == 1 && d.as_bytes()[0].is_ascii_digit())
                .map(str::to_string)
                .or_else(|| {
                    (*w == "level")
                        .then(|| {
                            words
                                .get(i + 1)
                                .filter(|d| d.len() == 1 && d.as_bytes()[0].is_ascii_digit())
                                .map(|d| d.to_string())
                        })
                        .flatten()
                });
            if let Some(d) = level
                && d.as_str() <= "5"
            {
                add(format!("level{d}"));
            }
            if *w == "engine" && words.get(i + 1) == Some(&"room") {
                add("engine-room".into());
            }
        }
        if lower.contains("engine room")
            || lower.contains("engine_room")
            || lower.contains("engine-room")
        {
            add("engine-room".into());
        }
    }
    if let Some(s) = system {
        for part in s.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
            let octets: Vec<&str> = part.split('.').collect();
            if octets.len() == 4 && octets.iter().all(|o| o.parse::<u8>().is_ok()) {
                add(format!(
                    "subnet:{}.{}.{}.0/24",
                    octets[0], octets[1], octets[2]
                ));
            }
        }
    }
    out
}
