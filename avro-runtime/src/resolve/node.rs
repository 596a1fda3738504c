//! [`PlanNode`]: the API generated `decode_resolved` implementations read
//! the writer's bytes with, one plan node at a time.

use std::fmt;

use super::plan::{Node, NodeId, Plan};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::schema::Primitive;
use crate::Reader;

/// One node of a [`Plan`]: what generated [`Decode::decode_resolved`](crate::Decode::decode_resolved)
/// implementations read the writer's bytes with. Every method checks that
/// the node has the shape the caller expects and fails with
/// [`DecodeErrorKind::PlanMismatch`] otherwise (a plan made for another
/// reader schema), never panics.
#[derive(Clone, Copy)]
pub struct PlanNode<'p> {
    pub(super) plan: &'p Plan,
    pub(super) id: NodeId,
}

impl fmt::Debug for PlanNode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlanNode")
            .field("node", &self.plan.nodes[self.id])
            .field("identity", &self.is_identity())
            .finish()
    }
}

#[cold]
pub(super) fn unreadable(msg: &str) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Custom(msg.to_owned()))
}

fn mismatch(what: &'static str) -> DecodeError {
    DecodeError::new(DecodeErrorKind::PlanMismatch(what))
}

impl<'p> PlanNode<'p> {
    fn node(self) -> &'p Node {
        &self.plan.nodes[self.id]
    }

    fn at(self, id: NodeId) -> PlanNode<'p> {
        PlanNode {
            plan: self.plan,
            id,
        }
    }

    /// The writer's bytes here are already the reader's encoding: decode
    /// them with the ordinary decoder.
    #[inline]
    pub fn is_identity(self) -> bool {
        self.plan.identity[self.id]
    }

    /// Where the writer has a union and the reader does not: reads the
    /// writer's branch index and gives that branch's plan. Anywhere else:
    /// this node, reading nothing.
    #[inline]
    pub fn writer_branch(self, r: &mut Reader<'_>) -> Result<PlanNode<'p>, DecodeError> {
        match self.node() {
            // A non-union reader: no branch has a reader target (a union
            // reader's has at least one; its unreadable branches have none).
            Node::WriterUnion(branches) if branches.iter().all(|b| b.0.is_none()) => {
                let i = r.read_union_index(branches.len())?;
                let branch = self.at(branches[i].1);
                if let Node::Unreadable(msg) = branch.node() {
                    return Err(unreadable(msg));
                }
                Ok(branch)
            }
            _ => Ok(self),
        }
    }

    /// A record read as a record: each writer field in the writer's order,
    /// with the index of the reader field it fills (`None`: skip it) and its
    /// plan. Reader fields not listed take their defaults.
    #[inline]
    pub fn record_fields(self) -> Option<impl Iterator<Item = (Option<usize>, PlanNode<'p>)> + 'p> {
        match self.node() {
            Node::Record { writer_fields, .. } => {
                let plan = self.plan;
                Some(
                    writer_fields
                        .iter()
                        .map(move |&(id, target)| (target, PlanNode { plan, id })),
                )
            }
            _ => None,
        }
    }

    /// Reads the writer's union branch index (if the writer has a union
    /// here) and gives the reader union branch it maps to, with the plan of
    /// the value.
    #[inline]
    pub fn union_branch(self, r: &mut Reader<'_>) -> Result<(usize, PlanNode<'p>), DecodeError> {
        match self.node() {
            Node::WriterUnion(branches) => {
                let i = r.read_union_index(branches.len())?;
                match branches[i] {
                    (Some(t), n) => Ok((t as usize, self.at(n))),
                    (None, n) => match self.at(n).node() {
                        Node::Unreadable(msg) => Err(unreadable(msg)),
                        _ => Err(mismatch("the reader has no union here")),
                    },
                }
            }
            Node::IntoReaderUnion(t, n) => Ok((*t as usize, self.at(*n))),
            _ => Err(mismatch("expected a union")),
        }
    }

    /// An option (a reader union of `null` and one type, `null` at reader
    /// branch `null_index`): `None` for the null branch, else the value
    /// `read` reads through its plan. Generated resolved decoders call this
    /// instead of spelling out the union match at every optional field.
    #[inline(always)]
    pub fn option<T>(
        self,
        r: &mut Reader<'_>,
        null_index: usize,
        read: impl FnOnce(&mut Reader<'_>, PlanNode<'p>) -> Result<T, DecodeError>,
    ) -> Result<Option<T>, DecodeError> {
        match self.union_branch(r)? {
            (i, _) if i == null_index => Ok(None),
            (_, n) => read(r, n).map(Some),
        }
    }

    /// Reads a writer enum symbol and gives the reader's symbol index.
    #[inline]
    pub fn enum_index(self, r: &mut Reader<'_>) -> Result<usize, DecodeError> {
        match self.writer_branch(r)?.node() {
            Node::Enum(map) => Ok(map[r.read_enum_index(map.len())?] as usize),
            _ => Err(mismatch("expected an enum")),
        }
    }

    /// The plan of an array's items or a map's values.
    #[inline]
    pub fn items(self) -> Result<PlanNode<'p>, DecodeError> {
        match self.node() {
            Node::Array(n) | Node::Map(n) => Ok(self.at(*n)),
            _ => Err(mismatch("expected an array or a map")),
        }
    }

    /// The plan of an array's items or a map's values, with the fewest
    /// bytes one of them (a map's with its key) takes in the writer's
    /// encoding: the `item_min_bytes` of [`Reader::read_block_count`] for
    /// every block, looked up once per collection.
    #[inline]
    pub fn collection(self) -> Result<(PlanNode<'p>, usize), DecodeError> {
        match self.node() {
            Node::Array(n) => Ok((self.at(*n), self.plan.writer_min[*n])),
            Node::Map(n) => Ok((self.at(*n), 1 + self.plan.writer_min[*n])),
            _ => Err(mismatch("expected an array or a map")),
        }
    }

    /// The next block count of this array or map, bounded by the remaining
    /// input and the writer's smallest item, after `items_before` items of
    /// the same collection (see [`Reader::read_block_count`]).
    #[inline]
    pub fn block_count(
        self,
        r: &mut Reader<'_>,
        items_before: usize,
    ) -> Result<usize, DecodeError> {
        match self.node() {
            Node::Array(n) => r.read_block_count(self.plan.writer_min[*n], items_before),
            Node::Map(n) => r.read_block_count(1 + self.plan.writer_min[*n], items_before),
            _ => Err(mismatch("expected an array or a map")),
        }
    }

    /// A `long` written as `int` or `long`.
    #[inline]
    pub fn read_long(self, r: &mut Reader<'_>) -> Result<i64, DecodeError> {
        match self.writer_branch(r)?.node() {
            Node::Same(Primitive::Long) => r.read_long(),
            Node::Promote(Primitive::Int, Primitive::Long) => r.read_int().map(i64::from),
            _ => Err(mismatch("expected a long")),
        }
    }

    /// A `float` written as `int`, `long` or `float`.
    #[inline]
    pub fn read_float(self, r: &mut Reader<'_>) -> Result<f32, DecodeError> {
        match self.writer_branch(r)?.node() {
            Node::Same(Primitive::Float) => r.read_float(),
            Node::Promote(Primitive::Int, Primitive::Float) => r.read_int().map(|v| v as f32),
            Node::Promote(Primitive::Long, Primitive::Float) => r.read_long().map(|v| v as f32),
            _ => Err(mismatch("expected a float")),
        }
    }

    /// A `double` written as `int`, `long`, `float` or `double`.
    #[inline]
    pub fn read_double(self, r: &mut Reader<'_>) -> Result<f64, DecodeError> {
        match self.writer_branch(r)?.node() {
            Node::Same(Primitive::Double) => r.read_double(),
            Node::Promote(Primitive::Int, Primitive::Double) => r.read_int().map(f64::from),
            Node::Promote(Primitive::Long, Primitive::Double) => r.read_long().map(|v| v as f64),
            Node::Promote(Primitive::Float, Primitive::Double) => r.read_float().map(f64::from),
            _ => Err(mismatch("expected a double")),
        }
    }

    /// A `string` written as `string` or `bytes` (which must be UTF-8).
    #[inline]
    pub fn read_string(self, r: &mut Reader<'_>) -> Result<String, DecodeError> {
        match self.writer_branch(r)?.node() {
            Node::Same(Primitive::String) | Node::Promote(Primitive::Bytes, Primitive::String) => {
                r.read_string()
            }
            _ => Err(mismatch("expected a string")),
        }
    }

    /// `bytes` written as `bytes` or `string`.
    #[inline]
    pub fn read_bytes(self, r: &mut Reader<'_>) -> Result<Vec<u8>, DecodeError> {
        match self.writer_branch(r)?.node() {
            Node::Same(Primitive::Bytes) => r.read_bytes(),
            Node::Promote(Primitive::String, Primitive::Bytes) => {
                r.read_str().map(|s| s.as_bytes().to_vec())
            }
            _ => Err(mismatch("expected bytes")),
        }
    }

    /// For reader types nothing is promoted to (`int`, `boolean`, `null`,
    /// fixed-based logical types): reads the writer's union branch index if
    /// the writer has a union here, then checks that the value's bytes are
    /// the reader's, for the ordinary decoder to read.
    #[inline]
    pub fn direct(self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        if self.writer_branch(r)?.is_identity() {
            Ok(())
        } else {
            Err(mismatch("expected the same type as the writer's"))
        }
    }

    /// Reads past the writer's value without keeping it.
    pub fn skip(self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        if self.plan.empty[self.id] {
            return Ok(());
        }
        match self.node() {
            Node::Same(p) | Node::Promote(p, _) => match p {
                Primitive::Null => Ok(()),
                Primitive::Boolean => r.read_bool().map(drop),
                Primitive::Int => r.read_int().map(drop),
                Primitive::Long => r.read_long().map(drop),
                Primitive::Float => r.take(4).map(drop),
                Primitive::Double => r.take(8).map(drop),
                Primitive::Bytes | Primitive::String => r.read_bytes_ref().map(drop),
            },
            Node::Fixed(n) => r.take(*n).map(drop),
            Node::Enum(map) => r.read_enum_index(map.len()).map(drop),
            Node::Array(item) | Node::Map(item) => {
                let is_map = matches!(self.node(), Node::Map(_));
                let mut read = 0usize;
                loop {
                    let n = self.block_count(r, read)?;
                    if n == 0 {
                        return Ok(());
                    }
                    read += n;
                    for i in 0..n {
                        if is_map {
                            r.read_bytes_ref()?;
                        }
                        self.at(*item).skip(r).map_err(|e| e.index(i))?;
                    }
                }
            }
            Node::Record { writer_fields, .. } => {
                // Only records can recur: the nesting is counted here.
                r.enter()?;
                for (n, _) in writer_fields {
                    self.at(*n).skip(r)?;
                }
                r.leave();
                Ok(())
            }
            Node::WriterUnion(branches) => {
                let i = r.read_union_index(branches.len())?;
                self.at(branches[i].1).skip(r)
            }
            Node::IntoReaderUnion(_, n) => self.at(*n).skip(r),
            Node::Pending => Err(DecodeError::new(DecodeErrorKind::Custom(
                "this writer branch cannot be read with the reader schema".into(),
            ))),
            Node::Unreadable(msg) => Err(unreadable(msg)),
        }
    }

    /// Decodes the value with `decode` (the reader type's ordinary decoder):
    /// directly where the node is identity, else after rewriting the
    /// writer's bytes into the reader's encoding.
    pub fn decode_transcoded<T>(
        self,
        r: &mut Reader<'_>,
        decode: impl FnOnce(&mut Reader<'_>) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        if self.is_identity() {
            return decode(r);
        }
        let mut buf = Vec::new();
        self.plan.run(self.id, r, &mut buf)?;
        let mut inner = Reader::new(&buf);
        let v = decode(&mut inner)?;
        inner.finish()?;
        Ok(v)
    }
}

/// The value a generated `decode_resolved` read for a reader field without
/// a default. A plan made with the reader's schema always fills such a
/// field; one made for another reader may not, which is an error here.
#[inline]
pub fn required<T>(slot: Option<T>, field: &'static str) -> Result<T, DecodeError> {
    slot.ok_or_else(|| {
        DecodeError::new(DecodeErrorKind::PlanMismatch(
            "a field without default is missing from the writer",
        ))
        .field(field)
    })
}
