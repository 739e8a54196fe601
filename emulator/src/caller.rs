//! Who acts on a registered document: the authenticated GSTIN, and the supplier it acts for
//! when an e-commerce operator sends the `sup_gstin` header.
//!
//! A supplier reaches its own IRNs. An operator reaches an IRN it is named on (`EcmGstin`)
//! only by naming the supplier in `sup_gstin`, as NIC's reference describes for Get IRN,
//! Cancel IRN and the e-way bill APIs; anyone else gets the API's "not yours" code.

use crate::gstin::Gstin;

/// The caller of a document API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The authenticated GSTIN (the `Gstin` header the token belongs to).
    pub gstin: Gstin,
    /// The supplier named in `sup_gstin`, when an operator acts for one.
    pub for_supplier: Option<Gstin>,
}

impl Caller {
    /// A caller acting for itself.
    pub fn own(gstin: Gstin) -> Self {
        Self {
            gstin,
            for_supplier: None,
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
            gstin: caller.clone(),
            for_supplier: named.cloned(),
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
