//! Bulk registrations for the benches (feature `samples`): copies of one real registration,
//! each under its own IRN and AckNo, inserted by the registry's own SQL in one transaction.
//! A registry of a million rows of realistic size then takes minutes, where a million
//! signed registrations would take hours.

use super::{NewRecord, rows::NewRow};
use crate::{
    invoice::AckNo,
    irn::Irn,
    store::{Store, StoreError},
};

/// Writes a copy of `template` under each `(IRN, AckNo)` of `numbers`, all in one
/// transaction, and returns once it committed. Open the [`Registry`](super::Registry) on
/// `store` afterwards: it numbers on above the highest AckNo stored.
pub async fn fill(
    store: &Store,
    template: &NewRecord<'_>,
    numbers: Vec<(Irn, AckNo)>,
) -> Result<(), StoreError> {
    let row = NewRow::of(template)?;
    store
        .write(move |conn| {
            numbers
                .iter()
                .try_for_each(|(irn, ack_no)| row.renumbered(irn, *ack_no).insert(conn))
        })
        .await
}
