//! CRC-64-AVRO, the Rabin fingerprint the specification defines for schemas.

const EMPTY: u64 = 0xc15d_213a_a4d7_a795;

const TABLE: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut fp = i as u64;
        let mut j = 0;
        while j < 8 {
            fp = (fp >> 1) ^ (EMPTY & (0u64.wrapping_sub(fp & 1)));
            j += 1;
        }
        table[i] = fp;
        i += 1;
    }
    table
};

/// The CRC-64-AVRO fingerprint of `data` (normally a Parsing Canonical Form).
pub const fn fingerprint64(data: &[u8]) -> u64 {
    let mut fp = EMPTY;
    let mut i = 0;
    while i < data.len() {
        fp = (fp >> 8) ^ TABLE[((fp ^ data[i] as u64) & 0xff) as usize];
        i += 1;
    }
    fp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        // Values from the Avro Java test suite (SchemaNormalization).
        assert_eq!(fingerprint64(b"\"int\"") as i64, 8247732601305521295);
        assert_eq!(fingerprint64(b"\"null\"") as i64, 7195948357588979594);
        assert_eq!(fingerprint64(b""), EMPTY);
    }
}
