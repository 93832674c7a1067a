//! placeholder
use super::Src;
use crate::facts::FileFacts;
use tree_sitter::Node;
pub(crate) fn extract(_src: &Src<'_>, _root: Node<'_>, _rel: &str) -> FileFacts {
    FileFacts::default()
}
