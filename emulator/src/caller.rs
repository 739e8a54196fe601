//! Who acts on a registered document: the authenticated GSTIN, and the supplier it acts for
//! when an e-commerce operator sends the `sup_gstin` header.
//!
//! A supplier reaches its own IRNs. An operator reaches an IRN it is named on (`EcmGstin`)
//! only by naming the supplier in `sup_gstin`, as NIC's reference describes for Get IRN,
//! Cancel IRN and the e-way bill APIs; anyone else gets the API's "not yours" code.
//!
//! The caller also says where it called: the IRP ([`Caller::at`]) and its `irp` header, with
//! which a call at one NIC IRP acts on an IRN held at the other ("criss-cross").

use crate::{gstin::Gstin, irp::Irp};

/// The caller of a document API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The authenticated GSTIN (the `Gstin` header the token belongs to).
    pub gstin: Gstin,
    /// The supplier named in `sup_gstin`, when an operator acts for one.
    pub for_supplier: Option<Gstin>,
    /// The IRP the call reached.
    pub at: Irp,
    /// The `irp` header (`NIC1`/`NIC2`), as sent.
    pub irp_header: Option<String>,
}

impl Caller {
    /// A caller acting for itself.
    pub fn own(gstin: Gstin) -> Self {
        Self {
            gstin,
            for_supplier: None,
            at: Irp::default(),
            irp_header: None,
        }
    }

    /// The supplier whose documents are meant: `sup_gstin`, else the caller itself.
    pub fn supplier(&self) -> &Gstin {
        self.for_supplier.as_ref().unwrap_or(&self.gstin)
    }

    /// Whether a document of `supplier`, with `operator` as its `EcmGstin`, is reachable.
    pub fn reaches(&self, supplier: &Gstin, operator: Option<&str>) -> bool {
        match &self.for_supplier {
            None => *supplier == self.gstin,
            Some(named) => {
                supplier == named && (self.gstin == *named || operator == Some(self.gstin.as_str()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppliers_and_operators_reach_what_they_may() {
        let gstin = |s: &str| Gstin::parse(s).unwrap();
        let supplier = gstin("29AAACL1111A1ZD");
        let operator = gstin("29AAACE1414M1ZP");
        let stranger = gstin("29AAACS2222B1ZY");
        let op = Some(operator.as_str());
        let acting = |caller: &Gstin, named: Option<&Gstin>| Caller {
            for_supplier: named.cloned(),
            ..Caller::own(caller.clone())
        };
        for (caller, named, on, reaches) in [
            (&supplier, None, op, true),
            (&supplier, Some(&supplier), op, true),
            (&operator, Some(&supplier), op, true),
            // The operator must name the supplier, and be the document's operator.
            (&operator, None, op, false),
            (&operator, Some(&supplier), None, false),
            (&operator, Some(&stranger), op, false),
            (&stranger, Some(&supplier), op, false),
            (&stranger, None, op, false),
        ] {
            assert_eq!(
                acting(caller, named).reaches(&supplier, on),
                reaches,
                "{caller} for {named:?}"
            );
        }
    }
}
