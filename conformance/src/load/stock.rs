//! What a user's requests act on: invoices sealed before the clock starts, and the IRNs
//! registered so far.
//!
//! Generating an invoice and sealing it under the SEK costs the load generator tens of
//! microseconds; doing it while timing would charge that to the IRP's latency and take CPU
//! from a server sharing the machine. So each user's invoices are made and sealed
//! beforehand (unique document numbers, dated the target's today), and a request only takes
//! the next one. If a run outlasts the stock, further invoices are made on demand and
//! counted.

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex, MutexGuard, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
};

use base64::{Engine, engine::general_purpose::STANDARD};
use irp_client::cipher::{self, CipherError};
use time::Date;

use crate::{
    generator::{Generator, Parties},
    profile::Party,
    run::DocNumbers,
    scenario::InvoiceSpec,
};

/// How many recent registrations a user keeps for duplicates.
const RECENT: usize = 32;

/// An invoice's Generate IRN `Data`, sealed under a session's SEK.
#[derive(Debug, Clone)]
pub struct Sealed {
    /// Base64 of the AES-ECB ciphertext.
    pub data: String,
    /// The SEK it is sealed under (a renewed session reseals it).
    pub sek: Arc<[u8]>,
}

impl Sealed {
    /// The same invoice sealed under `sek` (itself when it already is).
    pub fn under(&self, sek: &[u8]) -> Result<Self, CipherError> {
        if *self.sek == *sek {
            return Ok(self.clone());
        }
        let plain = cipher::open(&self.sek, &self.data)?;
        Ok(Self {
            data: STANDARD.encode(cipher::seal(sek, &plain)?),
            sek: Arc::from(sek),
        })
    }

    /// The invoice as JSON (for the client's retry policy, which seals each send itself).
    pub fn plain(&self) -> Result<serde_json::Value, CipherError> {
        let plain = cipher::open(&self.sek, &self.data)?;
        Ok(serde_json::from_slice(&plain).unwrap_or(serde_json::Value::Null))
    }
}

/// Makes the run's invoices: one seeded generator, one document-number series.
#[derive(Debug)]
pub struct Invoices {
    generator: Generator,
    spec: InvoiceSpec,
    buyer: Party,
    date: Date,
    numbers: DocNumbers,
    next: AtomicU64,
    /// Invoices made after the clock started.
    pub late: AtomicU64,
}

impl Invoices {
    /// Invoices of `spec` to `buyer`, dated `date`, from generator `seed`.
    pub fn new(
        seed: u64,
        spec: InvoiceSpec,
        buyer: Party,
        date: Date,
        numbers: DocNumbers,
    ) -> Self {
        Self {
            generator: Generator::new(seed, "load"),
            spec,
            buyer,
            date,
            numbers,
            next: AtomicU64::new(0),
            late: AtomicU64::new(0),
        }
    }

    /// A fresh invoice from `seller`, sealed under `sek`.
    pub fn make(&self, seller: &Party, sek: &Arc<[u8]>) -> Result<Sealed, CipherError> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let doc_no = self.numbers.numbered('L', n);
        let parties = Parties {
            seller,
            buyer: Some(&self.buyer),
        };
        let invoice = self
            .generator
            .clone()
            .invoice(&self.spec, parties, &doc_no, self.date);
        Ok(Sealed {
            data: STANDARD.encode(cipher::seal(sek, invoice.to_string().as_bytes())?),
            sek: sek.clone(),
        })
    }

    /// How many invoices were made in all.
    pub fn made(&self) -> u64 {
        self.next.load(Ordering::Relaxed)
    }
}

/// One user's invoices and registrations.
#[derive(Debug, Default)]
pub struct Stock {
    invoices: Mutex<Vec<Sealed>>,
    registered: Mutex<Registered>,
}

#[derive(Debug, Default)]
struct Registered {
    irns: Vec<String>,
    /// `irns[..used]` have been cancelled or given an e-way bill.
    used: usize,
    recent: VecDeque<Sealed>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Stock {
    /// Adds invoices made beforehand.
    pub fn fill(&self, invoices: Vec<Sealed>) {
        lock(&self.invoices).extend(invoices);
    }

    /// The next unused invoice made beforehand.
    pub fn take_invoice(&self) -> Option<Sealed> {
        lock(&self.invoices).pop()
    }

    /// Notes an invoice the IRP registered as `irn`.
    pub fn registered(&self, irn: String, sealed: Sealed) {
        let mut registered = lock(&self.registered);
        registered.irns.push(irn);
        if registered.recent.len() == RECENT {
            registered.recent.pop_front();
        }
        registered.recent.push_back(sealed);
    }

    /// A registered IRN, chosen by `k` (any of them, used or not).
    pub fn any_irn(&self, k: u64) -> Option<String> {
        let registered = lock(&self.registered);
        let len = registered.irns.len() as u64;
        let i = usize::try_from(k.checked_rem(len)?).ok()?;
        registered.irns.get(i).cloned()
    }

    /// The oldest registered IRN not yet cancelled or given an e-way bill, now used.
    pub fn use_irn(&self) -> Option<String> {
        let mut registered = lock(&self.registered);
        let irn = registered.irns.get(registered.used).cloned()?;
        registered.used += 1;
        Some(irn)
    }

    /// A recently registered invoice, chosen by `k`, to submit again.
    pub fn duplicate(&self, k: u64) -> Option<Sealed> {
        let registered = lock(&self.registered);
        let len = registered.recent.len() as u64;
        let i = usize::try_from(k.checked_rem(len)?).ok()?;
        registered.recent.get(i).cloned()
    }

    /// Registered IRNs not yet used.
    pub fn unused(&self) -> usize {
        let registered = lock(&self.registered);
        registered.irns.len().saturating_sub(registered.used)
    }

    /// Registered IRNs in all.
    pub fn irns(&self) -> usize {
        lock(&self.registered).irns.len()
    }
}
