//! Checks of an OLE compound file (a legacy `.xls`) before calamine reads it.
//!
//! calamine follows a compound file's chains (the directory, the mini stream, each
//! stream) through the file allocation table until an end-of-chain mark, reading as it
//! goes, and reads the directory chain with no length bound. A table whose chain loops
//! back on itself therefore makes it read forever: a 4.7 KB `.xls` found by the fuzzer
//! asked for 2 GiB within a second. A well-formed file never has a loop, nor a link to a
//! sector its table does not describe, so both are refused here, as a corrupt file,
//! before calamine sees it. Once every chain ends, none can be longer than the file.
//!
//! calamine also slices the workbook stream at each sheet's recorded offset without a
//! bounds check (a fuzzed offset past the end panicked), so those offsets are checked
//! too: a workbook whose sheet starts past the end of its stream is refused as well,
//! as are a workbook-globals record shorter than the fixed part calamine reads from it,
//! and a file cut inside a 4-byte table entry (calamine asserts whole entries).
//!
//! Layout (MS-CFB): a 512-byte header; sector `i` starts at `(i + 1) * sector_size`;
//! the header lists the first 109 FAT sectors, and a chain of DIFAT sectors (each
//! ending with the id of the next) lists the rest.

/// Ids at or above this are marks (end of chain, free, FAT or DIFAT sector), not sectors.
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;
const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The file allocation table, gathered as calamine gathers it, and the sector size.
fn allocation_table(bytes: &[u8]) -> Result<(Vec<u32>, usize), &'static str> {
    if bytes.len() < 512 || bytes[..8] != SIGNATURE {
        return Err("not a compound file");
    }
    // calamine reads its tables as whole 4-byte entries and asserts so: a file cut
    // inside an entry (every writer writes whole sectors) would panic it.
    if bytes.len() % 4 != 0 {
        return Err("the file ends inside a sector (cut short)");
    }
    let shift = u16_at(bytes, 0x1E).ok_or("truncated header")?;
    if !(7..=16).contains(&shift) {
        return Err("impossible sector size");
    }
    let sector_size = 1usize << shift;
    let sectors_in_file = bytes.len() / sector_size;
    // A last sector cut short is read as far as it goes (as calamine does); one that
    // starts past the end of the file is not there.
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize + 1).checked_mul(sector_size)?;
        let end = start.checked_add(sector_size)?.min(bytes.len());
        bytes.get(start..end).filter(|s| !s.is_empty())
    };
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(bytes, 0x4C + 4 * i))
        .collect();
    // The DIFAT chain: at most one DIFAT sector per sector of the file.
    let mut next = u32_at(bytes, 0x44).ok_or("truncated header")?;
    let mut seen = 0usize;
    while next < MAX_REGULAR_SECTOR {
        seen += 1;
        if seen > sectors_in_file {
            return Err("DIFAT chain loops");
        }
        let s = sector(next).ok_or("DIFAT sector past the end of the file")?;
        let ids: Vec<u32> = s.chunks_exact(4).filter_map(|c| u32_at(c, 0)).collect();
        let (last, rest) = ids.split_last().ok_or("empty DIFAT sector")?;
        fat_sectors.extend_from_slice(rest);
        next = *last;
    }
    let mut fat = Vec::new();
    for id in fat_sectors
        .into_iter()
        .filter(|&id| id < MAX_REGULAR_SECTOR)
    {
        let s = sector(id).ok_or("FAT sector past the end of the file")?;
        fat.extend(s.chunks_exact(4).filter_map(|c| u32_at(c, 0)));
    }
    Ok((fat, sector_size))
}

/// `Err` with a reason when some chain of the table loops or links to a sector the
/// table does not describe; `Ok` when every chain ends.
fn chains_end(fat: &[u32]) -> Result<(), &'static str> {
    // Colouring walk of the table as a graph (each sector points at its successor):
    // 1 = on the current path, 2 = known to reach an end. Linear in the table's size.
    let mut state = vec![0u8; fat.len()];
    let mut path = Vec::new();
    for start in 0..fat.len() {
        let mut at = start;
        while state[at] == 0 {
            state[at] = 1;
            path.push(at);
            let next = fat[at];
            if next >= MAX_REGULAR_SECTOR {
                break;
            }
            let next = next as usize;
            if next >= fat.len() {
                return Err("a sector chain links past the allocation table");
            }
            if state[next] == 1 {
                return Err("a sector chain loops");
            }
            at = next;
        }
        for p in path.drain(..) {
            state[p] = 2;
        }
    }
    Ok(())
}

/// The bytes of the chain from `start`, at most `len`, with sectors of `size` bytes
/// taken from `data` at `(id + offset) * size` (the file: offset 1 for its header; the
/// mini stream: 0). Stops at the end of the chain or at a sector that is not there,
/// as calamine does; at most one visit per table entry, so a loop cannot hold it.
fn chain(
    data: &[u8],
    size: usize,
    offset: usize,
    table: &[u32],
    start: u32,
    len: usize,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut id = start;
    for _ in 0..=table.len() {
        if id >= MAX_REGULAR_SECTOR || out.len() >= len {
            break;
        }
        let from = (id as usize + offset).saturating_mul(size);
        let Some(sector) = data.get(from..from.saturating_add(size).min(data.len())) else {
            break;
        };
        out.extend_from_slice(&sector[..sector.len().min(len - out.len())]);
        match table.get(id as usize) {
            Some(&next) => id = next,
            None => break,
        }
    }
    out
}

/// A stream's bytes as calamine reads them: from the mini stream below 4096 bytes,
/// else through the file allocation table. `None` when there is no such stream.
fn stream(bytes: &[u8], fat: &[u32], size: usize, wanted: &[&str]) -> Option<Vec<u8>> {
    let dir_start = u32_at(bytes, 0x30)?;
    let dirs = chain(bytes, size, 1, fat, dir_start, usize::MAX);
    let entries: Vec<&[u8]> = dirs.chunks_exact(128).collect();
    let name_of = |e: &[u8]| -> String {
        let units: Vec<u16> = e[..64]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
            .split('\0')
            .next()
            .unwrap_or("")
            .to_string()
    };
    let len_of = |e: &[u8]| -> usize {
        if size == 512 {
            u32_at(e, 120).unwrap_or(0) as usize
        } else {
            u64::from_le_bytes(e[120..128].try_into().unwrap_or([0; 8])) as usize
        }
    };
    let entry = wanted
        .iter()
        .find_map(|w| entries.iter().find(|e| name_of(e).eq_ignore_ascii_case(w)))?;
    let (start, len) = (u32_at(entry, 116)?, len_of(entry));
    if len >= 4096 {
        return Some(chain(bytes, size, 1, fat, start, len));
    }
    let root = entries.first()?;
    let mini_stream = chain(bytes, size, 1, fat, u32_at(root, 116)?, len_of(root));
    let mini_fat_len = u32_at(bytes, 0x40)? as usize;
    let mini_fat: Vec<u32> = chain(
        bytes,
        size,
        1,
        fat,
        u32_at(bytes, 0x3C)?,
        mini_fat_len.saturating_mul(size),
    )
    .chunks_exact(4)
    .filter_map(|c| u32_at(c, 0))
    .collect();
    Some(chain(&mini_stream, 64, 0, &mini_fat, start, len))
}

/// The shortest body calamine reads without checking, by record type, among the
/// workbook globals it parses: BoundSheet8 (offset, state, type), Lbl (fixed part),
/// ExternSheet, BOF, FilePass, CodePage and DateMode (a leading u16 each).
const SHORTEST_GLOBALS_RECORD: &[(u16, usize)] = &[
    (0x0085, 6),
    (0x0018, 14),
    (0x0017, 2),
    (0x0809, 2),
    (0x002F, 2),
    (0x0042, 2),
    (0x0022, 2),
];

/// `Err` when a record of the workbook stream's globals (up to the first EOF record)
/// is shorter than calamine reads, or a sheet (BoundSheet8) starts past the end of the
/// stream.
fn globals_readable(workbook: &[u8]) -> Result<(), &'static str> {
    let mut at = 0usize;
    while let (Some(kind), Some(len)) = (u16_at(workbook, at), u16_at(workbook, at + 2)) {
        let (data, len) = (at + 4, len as usize);
        let end = data + len;
        if end > workbook.len() {
            break; // calamine stops here with an error of its own
        }
        if kind == 0x000A {
            break;
        }
        if SHORTEST_GLOBALS_RECORD
            .iter()
            .any(|&(k, shortest)| k == kind && len < shortest)
        {
            return Err("a workbook record is shorter than its fixed part");
        }
        match kind {
            0x0085 => {
                let pos = u32_at(workbook, data).unwrap_or(0) as usize;
                if pos > workbook.len() {
                    return Err("a sheet starts past the end of the workbook stream");
                }
            }
            0x0018 => {
                // The formula (cce bytes) ends the record.
                let cce = u16_at(workbook, data + 4).unwrap_or(0) as usize;
                if cce > len {
                    return Err("a defined name's formula is longer than its record");
                }
            }
            _ => {}
        }
        at = end;
    }
    Ok(())
}

/// `Err(reason)` for a compound file that calamine would read forever or panic on.
pub fn check_compound_file(bytes: &[u8]) -> Result<(), String> {
    let (fat, size) = allocation_table(bytes).map_err(str::to_string)?;
    chains_end(&fat).map_err(str::to_string)?;
    if let Some(workbook) = stream(bytes, &fat, size, &["Workbook", "Book"]) {
        globals_readable(&workbook).map_err(str::to_string)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal compound file of 512-byte sectors: sector 0 is the FAT (listed in the
    /// header), the rest are data sectors whose links are `links` (sector 1 onwards).
    fn compound_file(links: &[u32]) -> Vec<u8> {
        let mut b = vec![0u8; 512 * (2 + links.len())];
        b[..8].copy_from_slice(&SIGNATURE);
        b[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        b[0x44..0x48].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes()); // no DIFAT chain
        b[0x4C..0x50].copy_from_slice(&0u32.to_le_bytes()); // FAT in sector 0
        for i in 1..109 {
            b[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        let mut fat = vec![0xFFFF_FFFFu32; 128];
        fat[0] = 0xFFFF_FFFD; // the FAT's own sector
        for (i, &l) in links.iter().enumerate() {
            fat[i + 1] = l;
        }
        for (i, v) in fat.iter().enumerate() {
            b[512 + 4 * i..512 + 4 * i + 4].copy_from_slice(&v.to_le_bytes());
        }
        b
    }

    /// One BIFF record: type, length, body.
    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    #[test]
    fn chains_that_end_pass() {
        // 1 -> 2 -> 3 -> end, 4 -> end
        let b = compound_file(&[2, 3, 0xFFFF_FFFE, 0xFFFF_FFFE]);
        assert_eq!(check_compound_file(&b), Ok(()));
    }

    #[test]
    fn a_loop_is_refused() {
        // 1 -> 2 -> 3 -> 1
        let b = compound_file(&[2, 3, 1]);
        assert_eq!(check_compound_file(&b), Err("a sector chain loops".into()));
        // A sector pointing at itself.
        let b = compound_file(&[0xFFFF_FFFE, 2]);
        assert_eq!(check_compound_file(&b), Err("a sector chain loops".into()));
    }

    #[test]
    fn a_link_outside_the_table_is_refused() {
        let b = compound_file(&[5000]);
        assert!(
            check_compound_file(&b)
                .unwrap_err()
                .contains("past the allocation table")
        );
    }

    #[test]
    fn a_looping_difat_chain_is_refused() {
        let mut b = compound_file(&[0xFFFF_FFFE]);
        // DIFAT starts at sector 1, whose last entry points back at sector 1.
        b[0x44..0x48].copy_from_slice(&1u32.to_le_bytes());
        b[1024 + 508..1024 + 512].copy_from_slice(&1u32.to_le_bytes());
        assert!(check_compound_file(&b).is_err());
    }

    #[test]
    fn the_fuzzer_s_workbook_is_refused() {
        // 4.7 KB that made calamine ask for 2 GiB (replayed whole by tests/fuzz_regressions.rs).
        let b = include_bytes!(
            "../../../tests/data/fuzz-regressions/sheet_xls/oom-a5011f582d89d0526e62669a8211d75369ae7066"
        );
        let why = check_compound_file(b).unwrap_err();
        assert!(
            why.contains("past the end") || why.contains("loops"),
            "{why}"
        );
    }

    #[test]
    fn a_sheet_past_the_end_of_the_workbook_stream_is_refused() {
        let sheet_at = |pos: u32| {
            let mut w = record(0x0809, &[0; 16]); // BOF
            w.extend(record(
                0x0085,
                &[pos.to_le_bytes().as_slice(), &[0, 0, 1, 0, b'A']].concat(),
            ));
            w.extend(record(0x000A, &[])); // EOF
            w
        };
        assert_eq!(globals_readable(&sheet_at(20)), Ok(()));
        assert!(globals_readable(&sheet_at(16_710_676)).is_err());
        // Records after the globals' EOF are not the workbook's sheet list.
        let mut w = sheet_at(20);
        w.extend(record(0x0085, &[0xFF; 8]));
        assert_eq!(globals_readable(&w), Ok(()));
    }

    #[test]
    fn a_globals_record_shorter_than_calamine_reads_is_refused() {
        // BoundSheet8 with no body (the fuzzer's fourth workbook had one).
        let w = [record(0x0809, &[0; 16]), record(0x0085, &[])].concat();
        assert!(globals_readable(&w).is_err());
        // A defined name claiming a 200-byte formula in a 20-byte record.
        let mut lbl = vec![0u8; 20];
        lbl[4..6].copy_from_slice(&200u16.to_le_bytes());
        assert!(globals_readable(&record(0x0018, &lbl)).is_err());
        lbl[4..6].copy_from_slice(&4u16.to_le_bytes());
        assert_eq!(globals_readable(&record(0x0018, &lbl)), Ok(()));
    }

    #[test]
    fn the_fuzzer_s_second_workbook_is_refused() {
        // 5.6 KB whose sheet offset made calamine slice past the end of its stream.
        let b = include_bytes!(
            "../../../tests/data/fuzz-regressions/sheet_xls/crash-f0cd25152b0c7619c514e7824f5146a6d07305f8"
        );
        assert_eq!(
            check_compound_file(b),
            Err("a sheet starts past the end of the workbook stream".into())
        );
    }

    #[test]
    fn a_real_workbook_passes() {
        // The specimen the hostile tests damage: a whole xls saved by a spreadsheet program.
        let b = include_bytes!("../../../tests/data/hostile-specimen.xls");
        assert_eq!(check_compound_file(b), Ok(()));
        let (fat, size) = allocation_table(b).unwrap();
        let workbook = stream(b, &fat, size, &["Workbook", "Book"]).expect("a workbook stream");
        assert!(workbook.len() > 100);
    }

    #[test]
    fn a_file_cut_inside_a_table_entry_is_refused() {
        let mut b = compound_file(&[0xFFFF_FFFE]);
        b.truncate(b.len() - 2);
        assert_eq!(
            check_compound_file(&b),
            Err("the file ends inside a sector (cut short)".into())
        );
        // The fuzzer's third workbook: calamine's assertion on whole entries fired.
        let b = include_bytes!(
            "../../../tests/data/fuzz-regressions/sheet_xls/crash-eb26656d956d25565fb4d69a7b4c4c7daf414eb7"
        );
        assert!(check_compound_file(b).is_err());
    }

    #[test]
    fn not_a_compound_file() {
        assert!(check_compound_file(b"PK\x03\x04").is_err());
    }
}
