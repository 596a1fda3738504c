//! The transcoder: rewrites one writer datum into the reader schema's binary
//! encoding following a plan (the fallback for shapes generated code does not
//! specialise, and the reference the generated path is tested against).

use super::plan::{Node, NodeId, Plan};
use super::PlanNode;
use crate::encode::{write_bytes, write_double, write_float, write_long};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::schema::Primitive;
use crate::Reader;

impl Plan {
    /// Rewrites one writer datum as the reader schema's encoding.
    pub fn transcode(&self, r: &mut Reader<'_>, out: &mut Vec<u8>) -> Result<(), DecodeError> {
        self.run(self.root, r, out)
    }

    /// Transcodes one node. The arms that need locals live in their own
    /// functions so this frame, repeated at every level of recursive data,
    /// stays small (unoptimised builds give every arm's locals a slot).
    pub(super) fn run(
        &self,
        node: NodeId,
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
    ) -> Result<(), DecodeError> {
        let mut node = node;
        // Unions continue with their branch in this frame.
        loop {
            if self.empty[node] && self.identity[node] {
                // Zero bytes in, zero bytes out, however large the type tree.
                return Ok(());
            }
            return match &self.nodes[node] {
                Node::Same(p) => copy_primitive(*p, r, out),
                Node::Promote(from, to) => promote(*from, *to, r, out),
                Node::Fixed(n) => {
                    out.extend_from_slice(r.take(*n)?);
                    Ok(())
                }
                Node::Enum(map) => {
                    let i = r.read_enum_index(map.len())?;
                    write_long(out, map[i] as i64);
                    Ok(())
                }
                Node::Array(item) => self.run_blocks(*item, false, r, out),
                Node::Map(item) => self.run_blocks(*item, true, r, out),
                Node::Record { .. } => {
                    // Only records can recur: the nesting is counted here, on
                    // the reader, as generated decoders count it.
                    r.enter()?;
                    let res = self.run_record(node, r, out);
                    r.leave();
                    res
                }
                Node::WriterUnion(branches) => {
                    let i = r.read_union_index(branches.len())?;
                    let (target, n) = branches[i];
                    if let Some(t) = target {
                        write_long(out, t as i64);
                    }
                    node = n;
                    continue;
                }
                Node::IntoReaderUnion(i, n) => {
                    write_long(out, *i as i64);
                    node = *n;
                    continue;
                }
                Node::Pending => Err(DecodeError::new(DecodeErrorKind::Custom(
                    "this writer branch cannot be read with the reader schema".into(),
                ))),
                Node::Unreadable(msg) => Err(super::node::unreadable(msg)),
            };
        }
    }

    fn run_blocks(
        &self,
        item: NodeId,
        is_map: bool,
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
    ) -> Result<(), DecodeError> {
        let min = self.writer_min[item] + usize::from(is_map);
        // Blocks of fixed-size items are copied whole.
        let width = match self.nodes[item] {
            Node::Same(Primitive::Double) if !is_map => Some(8),
            Node::Same(Primitive::Float) if !is_map => Some(4),
            Node::Fixed(size) if !is_map => Some(size),
            _ => None,
        };
        let mut read = 0usize;
        loop {
            let n = r.read_block_count(min, read)?;
            if n == 0 {
                break;
            }
            read += n;
            write_long(out, n as i64);
            if let Some(w) = width {
                let len = n.checked_mul(w).ok_or_else(|| {
                    DecodeError::new(DecodeErrorKind::Custom("block too large".into()))
                })?;
                out.extend_from_slice(r.take(len)?);
                continue;
            }
            for i in 0..n {
                if is_map {
                    let k = r.read_bytes_ref()?;
                    write_bytes(out, k);
                }
                self.run(item, r, out).map_err(|e| e.index(i))?;
            }
        }
        out.push(0);
        Ok(())
    }

    fn run_record(
        &self,
        node: NodeId,
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
    ) -> Result<(), DecodeError> {
        let Node::Record {
            writer_fields,
            reader_fields,
            defaults,
            monotone,
        } = &self.nodes[node]
        else {
            unreachable!("run_record is called on records");
        };
        let skip = |n: NodeId, r: &mut Reader<'_>| PlanNode { plan: self, id: n }.skip(r);
        if *monotone {
            let mut pending = defaults.iter().peekable();
            for (n, target) in writer_fields {
                match target {
                    Some(k) => {
                        while let Some((_, bytes)) = pending.next_if(|(i, _)| i < k) {
                            out.extend_from_slice(bytes);
                        }
                        self.run(*n, r, out)?;
                    }
                    None => skip(*n, r)?,
                }
            }
            for (_, bytes) in pending {
                out.extend_from_slice(bytes);
            }
            return Ok(());
        }
        let mut parts: Vec<Option<Vec<u8>>> = vec![None; *reader_fields];
        for (n, target) in writer_fields {
            match target {
                Some(i) => {
                    let mut buf = Vec::new();
                    self.run(*n, r, &mut buf)?;
                    parts[*i] = Some(buf);
                }
                None => skip(*n, r)?,
            }
        }
        for (i, bytes) in defaults {
            parts[*i] = Some(bytes.clone());
        }
        for p in parts.into_iter().flatten() {
            out.extend_from_slice(&p);
        }
        Ok(())
    }
}

fn copy_primitive(p: Primitive, r: &mut Reader<'_>, out: &mut Vec<u8>) -> Result<(), DecodeError> {
    match p {
        Primitive::Null => {}
        Primitive::Boolean => out.push(r.read_bool()? as u8),
        Primitive::Int => write_long(out, r.read_int()? as i64),
        Primitive::Long => write_long(out, r.read_long()?),
        Primitive::Float => out.extend_from_slice(r.take(4)?),
        Primitive::Double => out.extend_from_slice(r.take(8)?),
        Primitive::Bytes => write_bytes(out, r.read_bytes_ref()?),
        // The reader type's decoder validates UTF-8; do it once, there.
        Primitive::String => write_bytes(out, r.read_bytes_ref()?),
    }
    Ok(())
}

fn promote(
    from: Primitive,
    to: Primitive,
    r: &mut Reader<'_>,
    out: &mut Vec<u8>,
) -> Result<(), DecodeError> {
    use Primitive::*;
    match (from, to) {
        (Int, Long) => write_long(out, r.read_int()? as i64),
        (Int, Float) => write_float(out, r.read_int()? as f32),
        (Int, Double) => write_double(out, r.read_int()? as f64),
        (Long, Float) => write_float(out, r.read_long()? as f32),
        (Long, Double) => write_double(out, r.read_long()? as f64),
        (Float, Double) => write_double(out, r.read_float()? as f64),
        (String, Bytes) => write_bytes(out, r.read_str()?.as_bytes()),
        (Bytes, String) => {
            let at = r.position();
            let b = r.read_bytes_ref()?;
            std::str::from_utf8(b).map_err(|e| {
                DecodeError::new(DecodeErrorKind::InvalidUtf8(format!(
                    "{e} (bytes at {at} promoted to string)"
                )))
            })?;
            write_bytes(out, b)
        }
        _ => unreachable!("only promotable pairs are planned"),
    }
    Ok(())
}
