//! The registry's own guarantees, without HTTP: what one commit writes is visible together.

use serde::Deserialize;
use time::macros::{date, datetime};

use super::*;
use crate::gstin::Gstin;
use crate::samples::{self, InvoiceSpec};

const NOW: OffsetDateTime = datetime!(2026-03-31 04:30 UTC);

fn invoice(doc_no: &str) -> Invoice {
    Invoice::deserialize(samples::invoice(&InvoiceSpec::simple(
        doc_no,
        date!(2026 - 03 - 30),
    )))
    .unwrap()
}

fn record(irn: &Irn, ack_no: AckNo, ewb: Option<EwayBill>) -> IrnRecord {
    IrnRecord {
        irn: irn.clone(),
        ack_no,
        ack_dt: NOW,
        supplier: Gstin::parse(samples::LARGE_SUPPLIER).unwrap(),
        operator: None,
        signed: Signed {
            invoice: "signed.invoice".into(),
            qr: "signed.qr".into(),
        },
        status: IrnStatus::Active,
        ewb,
        irp: IrpName::nic1(),
    }
}

fn bill(ewb_no: EwbNo) -> EwayBill {
    EwayBill {
        ewb_no,
        generated: NOW,
        valid_till: Some(NOW + time::Duration::days(1)),
        distance_km: 120,
        cancelled: None,
    }
}

fn irn(n: u8) -> Irn {
    Irn::parse(&format!("{n:02x}").repeat(32)).unwrap()
}

async fn commit(
    registry: &Registry,
    irn: &Irn,
    doc_no: &str,
    ewb: Option<EwayBill>,
) -> Result<(), StoreError> {
    let claim = registry.reserve(irn, NOW, &Irp::default())?.unwrap();
    let record = record(irn, claim.ack_no, ewb);
    registry
        .commit(
            claim,
            NewRecord {
                record,
                invoice: &invoice(doc_no),
            },
        )
        .await
}

#[tokio::test]
async fn an_irn_and_its_e_way_bill_are_committed_together() {
    let registry = Registry::open(Store::in_memory().unwrap()).unwrap();
    let (with, without) = (irn(1), irn(2));
    let ewb_no = registry.next_ewb_no().unwrap();
    commit(&registry, &with, "DOC/1", Some(bill(ewb_no)))
        .await
        .unwrap();
    commit(&registry, &without, "DOC/2", None).await.unwrap();

    let stored = registry.get(&with).unwrap().unwrap();
    assert_eq!(stored.ewb, Some(bill(ewb_no)));
    assert_eq!(registry.irn_of_ewb(ewb_no).unwrap(), Some(with.clone()));
    assert_eq!(registry.get(&without).unwrap().unwrap().ewb, None);
    // The sequence moved with the commit: a reopened registry does not reissue the number.
    let reopened = Registry::open(registry.store.clone()).unwrap();
    assert!(reopened.next_ewb_no().unwrap() > ewb_no);
}

/// One transaction: if the e-way bill cannot be written, neither is its IRN (and the claim
/// is released, so the document can be submitted again).
#[tokio::test]
async fn a_failed_e_way_bill_write_leaves_no_irn_behind() {
    let registry = Registry::open(Store::in_memory().unwrap()).unwrap();
    let ewb_no = registry.next_ewb_no().unwrap();
    commit(&registry, &irn(1), "DOC/1", Some(bill(ewb_no)))
        .await
        .unwrap();

    // The same e-way bill number again violates the primary key of the e-way bill table.
    let failed = commit(&registry, &irn(2), "DOC/2", Some(bill(ewb_no))).await;
    assert!(failed.is_err());
    assert!(registry.get(&irn(2)).unwrap().is_none());
    assert!(registry.invoice(&irn(2)).unwrap().is_none());
    assert_eq!(registry.irn_of_ewb(ewb_no).unwrap(), Some(irn(1)));
    commit(&registry, &irn(2), "DOC/2", None).await.unwrap();
}

/// The lookups of Generate IRN and Get IRN are compiled once per reader connection: writes
/// between two lookups (of registrations and e-way bills) must not make SQLite recompile
/// them, which costs more than the lookup itself.
#[tokio::test]
async fn lookups_are_not_recompiled_after_a_write() {
    use rusqlite::StatementStatus;
    let registry = Registry::open(Store::in_memory().unwrap()).unwrap();
    let ewb_no = registry.next_ewb_no().unwrap();
    commit(&registry, &irn(1), "DOC/1", Some(bill(ewb_no)))
        .await
        .unwrap();
    for n in 2..8 {
        let stored = registry.get(&irn(1)).unwrap().unwrap();
        assert_eq!(stored.ewb.map(|e| e.ewb_no), Some(ewb_no));
        assert!(matches!(
            registry.reserve(&irn(1), NOW, &Irp::default()).unwrap(),
            Err(Conflict::Duplicate { .. })
        ));
        let ewb = (n % 2 == 0).then(|| bill(registry.next_ewb_no().unwrap()));
        commit(&registry, &irn(n), &format!("DOC/{n}"), ewb)
            .await
            .unwrap();
    }
    // Every reader connection has run every lookup by now.
    for _ in 0..4 {
        assert!(registry.get(&irn(2)).unwrap().is_some());
        assert!(
            registry
                .reserve(&irn(3), NOW, &Irp::default())
                .unwrap()
                .is_err()
        );
    }
    let recompiled: Vec<i32> = registry
        .store
        .read(|conn| {
            rows::LOOKUPS
                .iter()
                .map(|sql| {
                    let stmt = conn.prepare_cached(sql)?;
                    Ok(stmt.get_status(StatementStatus::RePrepare))
                })
                .collect()
        })
        .unwrap();
    assert_eq!(recompiled, vec![0; rows::LOOKUPS.len()]);
}

/// The benches' bulk fill: each copy is a whole registration under its own IRN and AckNo,
/// and a registry opened afterwards numbers on above them.
#[cfg(feature = "samples")]
#[tokio::test]
async fn filled_copies_read_back_and_numbering_continues_above_them() {
    let store = Store::in_memory().unwrap();
    let template = invoice("DOC/1");
    let new = NewRecord {
        record: record(&irn(1), AckNo::issue(2026, 1), None),
        invoice: &template,
    };
    let numbers: Vec<(Irn, AckNo)> = (2..5)
        .map(|n| (irn(n), AckNo::issue(2026, 9 + u64::from(n))))
        .collect();
    fill(&store, &new, numbers.clone()).await.unwrap();

    let registry = Registry::open(store).unwrap();
    for (irn, ack_no) in &numbers {
        let stored = registry.get(irn).unwrap().unwrap();
        assert_eq!((&stored.irn, stored.ack_no), (irn, *ack_no));
        assert_eq!(stored.signed, new.record.signed);
        assert_eq!(registry.invoice(irn).unwrap().unwrap().doc_dtls.no, "DOC/1");
    }
    assert!(registry.get(&irn(1)).unwrap().is_none());
    let claim = registry
        .reserve(&irn(9), NOW, &Irp::default())
        .unwrap()
        .unwrap();
    assert_eq!(claim.ack_no, AckNo::issue(2026, 14));
}
