//! A check of an OLE compound file's sector chains before calamine reads it.
//!
//! calamine follows a compound file's chains (the directory, the mini stream, each
//! stream) through the file allocation table until an end-of-chain mark, reading as it
//! goes, and reads the directory chain with no length bound. A table whose chain loops
//! back on itself therefore makes it read forever: a 4.7 KB `.xls` found by the fuzzer
//! asked for 2 GiB within a second. A well-formed file never has a loop, nor a link to a
//! sector its table does not describe, so both are refused here, as a corrupt file,
//! before calamine sees it. Once every chain ends, none can be longer than the file.
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

/// The file allocation table, gathered as calamine gathers it.
fn allocation_table(bytes: &[u8]) -> Result<Vec<u32>, &'static str> {
    if bytes.len() < 512 || bytes[..8] != SIGNATURE {
        return Err("not a compound file");
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
    for id in fat_sectors.into_iter().filter(|&id| id < MAX_REGULAR_SECTOR) {
        let s = sector(id).ok_or("FAT sector past the end of the file")?;
        fat.extend(s.chunks_exact(4).filter_map(|c| u32_at(c, 0)));
    }
    Ok(fat)
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

/// `Err(reason)` for a compound file whose chains calamine could follow forever.
pub fn check_sector_chains(bytes: &[u8]) -> Result<(), String> {
    let fat = allocation_table(bytes).map_err(str::to_string)?;
    chains_end(&fat).map_err(str::to_string)
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

    #[test]
    fn chains_that_end_pass() {
        // 1 -> 2 -> 3 -> end, 4 -> end
        let b = compound_file(&[2, 3, 0xFFFF_FFFE, 0xFFFF_FFFE]);
        assert_eq!(check_sector_chains(&b), Ok(()));
    }

    #[test]
    fn a_loop_is_refused() {
        // 1 -> 2 -> 3 -> 1
        let b = compound_file(&[2, 3, 1]);
        assert_eq!(check_sector_chains(&b), Err("a sector chain loops".into()));
        // A sector pointing at itself.
        let b = compound_file(&[0xFFFF_FFFE, 2]);
        assert_eq!(check_sector_chains(&b), Err("a sector chain loops".into()));
    }

    #[test]
    fn a_link_outside_the_table_is_refused() {
        let b = compound_file(&[5000]);
        assert!(check_sector_chains(&b).unwrap_err().contains("past the allocation table"));
    }

    #[test]
    fn a_looping_difat_chain_is_refused() {
        let mut b = compound_file(&[0xFFFF_FFFE]);
        // DIFAT starts at sector 1, whose last entry points back at sector 1.
        b[0x44..0x48].copy_from_slice(&1u32.to_le_bytes());
        b[1024 + 508..1024 + 512].copy_from_slice(&1u32.to_le_bytes());
        assert!(check_sector_chains(&b).is_err());
    }

    #[test]
    fn the_fuzzer_s_workbook_is_refused() {
        // 4.7 KB that made calamine ask for 2 GiB (replayed whole by tests/fuzz_regressions.rs).
        let b = include_bytes!(
            "../../../tests/data/fuzz-regressions/sheet_xls/oom-a5011f582d89d0526e62669a8211d75369ae7066"
        );
        let why = check_sector_chains(b).unwrap_err();
        assert!(why.contains("past the end") || why.contains("loops"), "{why}");
    }

    #[test]
    fn not_a_compound_file() {
        assert!(check_sector_chains(b"PK\x03\x04").is_err());
    }
}
