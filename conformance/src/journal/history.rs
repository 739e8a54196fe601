//! What earlier calls in the journal established, for classifying later ones: the tokens
//! each user was given, the documents registered, and the cases already shown.

use std::collections::{HashMap, HashSet};

/// The state carried from one entry to the next, oldest first.
#[derive(Debug, Default)]
pub(super) struct History {
    /// (GSTIN, user) → the last token issued.
    tokens: HashMap<(String, String), String>,
    /// (seller GSTIN, document type, upper-cased number) → the number as first registered.
    documents: HashMap<(String, String, String), String>,
    /// Case ids already given to an outcome.
    shown: HashSet<&'static str>,
}

impl History {
    /// Records `token` as the latest of `user` and returns the one before.
    pub(super) fn issue_token(&mut self, gstin: &str, user: &str, token: &str) -> Option<String> {
        self.tokens.insert(
            (gstin.to_ascii_uppercase(), user.to_owned()),
            token.to_owned(),
        )
    }

    /// Records a registered document (the first registration of an identity wins).
    pub(super) fn register(&mut self, seller: &str, doc_type: &str, number: &str) {
        self.documents
            .entry(document_key(seller, doc_type, number))
            .or_insert_with(|| number.to_owned());
    }

    /// The number as registered of the document a new number duplicates, if journaled.
    pub(super) fn registered(&self, seller: &str, doc_type: &str, number: &str) -> Option<&str> {
        self.documents
            .get(&document_key(seller, doc_type, number))
            .map(String::as_str)
    }

    /// The first of `candidates` (most specific first) not shown yet, else the first; and
    /// records it as shown. `None` when there is no candidate.
    pub(super) fn pick(&mut self, candidates: &[&'static str]) -> Option<&'static str> {
        let chosen = candidates
            .iter()
            .find(|id| !self.shown.contains(*id))
            .or(candidates.first())
            .copied()?;
        self.shown.insert(chosen);
        Some(chosen)
    }
}

fn document_key(seller: &str, doc_type: &str, number: &str) -> (String, String, String) {
    (
        seller.trim().to_ascii_uppercase(),
        doc_type.trim().to_ascii_uppercase(),
        number.trim().to_uppercase(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_prefers_a_case_not_shown_yet() {
        let mut history = History::default();
        assert_eq!(history.pick(&["G-11", "G-1"]), Some("G-11"));
        assert_eq!(history.pick(&["G-11", "G-1"]), Some("G-1"));
        assert_eq!(history.pick(&["G-11", "G-1"]), Some("G-11"));
        assert_eq!(history.pick(&[]), None);
    }

    #[test]
    fn tokens_and_documents_are_remembered() {
        let mut history = History::default();
        assert_eq!(history.issue_token("29aaa", "u", "t1"), None);
        assert_eq!(
            history.issue_token("29AAA", "u", "t1").as_deref(),
            Some("t1")
        );
        history.register("29AAA", "inv", "a/1");
        history.register("29AAA", "INV", "A/1");
        assert_eq!(history.registered("29aaa", "INV", "A/1"), Some("a/1"));
        assert_eq!(history.registered("29aaa", "CRN", "A/1"), None);
    }
}
