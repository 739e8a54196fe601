//! One typed call per IRP API, for callers that do not build endpoints themselves.

use serde_json::{Value, json};

use super::Client;
use crate::{Answer, ClientError, Endpoint, Login, Session};

impl Client {
    /// Authentication: the answer, and the session when it succeeded.
    pub async fn auth(&self, login: &Login) -> Result<(Answer, Option<Session>), ClientError> {
        self.login(login, &[]).await
    }

    /// Get GSTIN details.
    pub async fn gstin_details(
        &self,
        session: &Session,
        gstin: &str,
    ) -> Result<Answer, ClientError> {
        self.call(session, &Endpoint::gstin_details(gstin), None, &[])
            .await
    }

    /// Sync GSTIN from the common portal.
    pub async fn sync_gstin(&self, session: &Session, gstin: &str) -> Result<Answer, ClientError> {
        self.call(session, &Endpoint::sync_gstin(gstin), None, &[])
            .await
    }

    /// Generate IRN for `invoice` (schema INV-01 v1.1).
    pub async fn generate_irn(
        &self,
        session: &Session,
        invoice: &Value,
    ) -> Result<Answer, ClientError> {
        self.call(session, &Endpoint::generate_irn(), Some(invoice), &[])
            .await
    }

    /// Get IRN details.
    pub async fn get_irn(&self, session: &Session, irn: &str) -> Result<Answer, ClientError> {
        self.call(session, &Endpoint::get_irn(irn), None, &[]).await
    }

    /// Get IRN by document type, number and date (`dd/MM/yyyy`).
    pub async fn get_irn_by_document(
        &self,
        session: &Session,
        doctype: &str,
        docnum: &str,
        docdate: &str,
    ) -> Result<Answer, ClientError> {
        let endpoint = Endpoint::get_irn_by_document(doctype, docnum, docdate);
        self.call(session, &endpoint, None, &[]).await
    }

    /// Cancel IRN with reason `reason` (`"1"`..`"4"`) and `remark`.
    pub async fn cancel_irn(
        &self,
        session: &Session,
        irn: &str,
        reason: &str,
        remark: &str,
    ) -> Result<Answer, ClientError> {
        let body = json!({ "Irn": irn, "CnlRsn": reason, "CnlRem": remark });
        self.call(session, &Endpoint::cancel_irn(), Some(&body), &[])
            .await
    }

    /// Generate e-way bill by IRN (`{Irn, Distance, TransMode, …}`).
    pub async fn generate_ewb(
        &self,
        session: &Session,
        details: &Value,
    ) -> Result<Answer, ClientError> {
        self.call(session, &Endpoint::generate_ewb(), Some(details), &[])
            .await
    }

    /// Get e-way bill by IRN.
    pub async fn get_ewb(&self, session: &Session, irn: &str) -> Result<Answer, ClientError> {
        self.call(session, &Endpoint::get_ewb(irn), None, &[]).await
    }

    /// Cancel e-way bill `ewb_no` with reason code `reason` (1–4) and `remark`, in the e-way
    /// bill system's envelope.
    pub async fn cancel_ewb(
        &self,
        session: &Session,
        ewb_no: u64,
        reason: u8,
        remark: &str,
    ) -> Result<Answer, ClientError> {
        let body = json!({ "ewbNo": ewb_no, "cancelRsnCode": reason, "cancelRmrk": remark });
        self.call(session, &Endpoint::cancel_ewb(), Some(&body), &[])
            .await
    }
}
