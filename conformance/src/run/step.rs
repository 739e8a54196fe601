//! One step: build the request, make the call, check the answer, keep the captures.

use std::sync::Arc;

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use time::Duration;

use super::{Memory, Runner, expect, outcome::Draft};
use irp_client::{Answer, ClientError, RetryPolicy};

use super::session::login_of;
use crate::{
    api::Params,
    generator::{Generator, Parties},
    report::{Outcome, Verdict},
    scenario::{
        Call, InvoiceSpec, Requirement, Scenario, Step, SupplyType,
        template::{TemplateError, Vars},
    },
};

/// Why a step did not get as far as an answer.
pub(super) enum Stop {
    /// The profile or target lacks something: the step is skipped.
    Skip(String),
    /// The step could not be run: it failed.
    Fail(String),
}

impl From<TemplateError> for Stop {
    fn from(error: TemplateError) -> Self {
        match error {
            TemplateError::NoRole(_) => Stop::Skip(error.to_string()),
            _ => Stop::Fail(error.to_string()),
        }
    }
}

impl From<ClientError> for Stop {
    fn from(error: ClientError) -> Self {
        Stop::Fail(format!("call failed: {error}"))
    }
}

/// Resolves templates inside any serialisable step part.
fn expand_as<T: Serialize + DeserializeOwned>(vars: &Vars<'_>, part: &T) -> Result<T, Stop> {
    let value = serde_json::to_value(part).map_err(|e| Stop::Fail(e.to_string()))?;
    serde_json::from_value(vars.expand(&value)?).map_err(|e| Stop::Fail(e.to_string()))
}

impl Runner {
    pub(super) async fn step(
        &mut self,
        scenario: &Scenario,
        step: &Step,
        repeat: u32,
        memory: &mut Memory,
    ) -> Outcome {
        let doc_no = self.numbers.next_number();
        let named = step.irp.as_deref().map(str::trim);
        let at = match named {
            None => Some(0),
            Some(name) => self
                .peers
                .iter()
                .position(|p| p.name.eq_ignore_ascii_case(name)),
        };
        self.at = at.unwrap_or(0);
        let today = self.peer().target.today;
        let profile = Arc::clone(&self.profile);
        let run = self.numbers.run().to_owned();
        let vars = Vars {
            captures: &memory.captures,
            profile: &profile,
            today,
            doc_no: &doc_no,
            run: &run,
            repeat,
        };
        let feature = step
            .report
            .as_ref()
            .map(|r| {
                vars.expand_str(&r.feature)
                    .unwrap_or_else(|_| r.feature.clone())
            })
            .unwrap_or_default();
        let draft = Draft {
            scenario: &scenario.name,
            step,
            repeat,
            of: scenario.repeat,
            feature,
        };
        if let (Some(name), None) = (named, at) {
            let why = format!(
                "the run has no IRP `{name}` (an emulator serving it, or --irp {name}=URL)"
            );
            return draft.finish(Verdict::Skipped, "not run".to_owned(), vec![why], None);
        }
        if self.whole_scenarios
            && scenario.requires.contains(&Requirement::Control)
            && !self.peer().target.control
        {
            let why = "the scenario needs the control namespace, which the target lacks";
            return draft.finish(
                Verdict::Skipped,
                "not run".to_owned(),
                vec![why.to_owned()],
                None,
            );
        }
        let called = self.call(scenario, step, &vars, memory).await;
        let answer = match called {
            Ok(answer) => answer,
            Err(Stop::Skip(why)) => {
                return draft.finish(Verdict::Skipped, "not run".to_owned(), vec![why], None);
            }
            Err(Stop::Fail(why)) => {
                return draft.finish(Verdict::Failed, "no answer".to_owned(), vec![why], None);
            }
        };
        let mut reasons = expect::check(&step.expect, &answer, &vars, &self.peer().target.verifier);
        memory
            .requests
            .insert(step.name.clone(), answer.request.clone());
        for (name, pointer) in &step.capture {
            let found = match pointer.strip_prefix("request:") {
                Some(bare) => answer.request.pointer(bare),
                None => answer.doc.pointer(pointer),
            };
            match found.filter(|v| !v.is_null()) {
                Some(value) => {
                    memory.captures.insert(name.clone(), value.clone());
                }
                None => reasons.push(format!("capture `{name}`: nothing at {pointer}")),
            }
        }
        let verdict = if reasons.is_empty() {
            Verdict::Passed
        } else {
            Verdict::Failed
        };
        draft.finish(verdict, expect::describe(&answer), reasons, Some(&answer))
    }

    async fn call(
        &mut self,
        scenario: &Scenario,
        step: &Step,
        vars: &Vars<'_>,
        memory: &Memory,
    ) -> Result<Answer, Stop> {
        let headers: Vec<(String, Option<String>)> = step
            .headers
            .iter()
            .map(|(k, v)| {
                Ok((
                    k.clone(),
                    v.as_deref().map(|v| vars.expand_str(v)).transpose()?,
                ))
            })
            .collect::<Result<_, TemplateError>>()?;
        let party = || {
            vars.profile
                .party(&step.role)
                .cloned()
                .ok_or_else(|| Stop::Skip(format!("the profile has no role `{}`", step.role)))
        };
        match step.call {
            Call::Auth => {
                let party = party()?;
                let variant = expand_as(vars, &step.auth.clone().unwrap_or_default())?;
                let login = login_of(&party, &variant);
                let (answer, session) = self.peer().client.login(&login, &headers).await?;
                let plain = step.auth.as_ref().is_none_or(|a| {
                    a.username.is_none() && a.password.is_none() && a.app_key.is_none()
                });
                if let (Some(session), true) = (session, plain && headers.is_empty()) {
                    self.sessions.insert((self.at, step.role.clone()), session);
                }
                Ok(answer)
            }
            Call::Control => {
                if !scenario.requires.contains(&Requirement::Control) || !self.peer().target.control
                {
                    return Err(Stop::Skip("the target has no control namespace".to_owned()));
                }
                let method =
                    vars.expand_str(step.params.get("method").map_or("POST", String::as_str))?;
                let method = reqwest::Method::from_bytes(method.as_bytes())
                    .map_err(|e| Stop::Fail(e.to_string()))?;
                let path = vars.expand_str(step.params.get("path").map_or("", String::as_str))?;
                let body = step.body.as_ref().map(|b| vars.expand(b)).transpose()?;
                Ok(self
                    .peer()
                    .client
                    .control(method, &path, body.as_ref())
                    .await?)
            }
            call => {
                let api = call.api().ok_or_else(|| Stop::Fail("no API".to_owned()))?;
                let body = self.body(scenario, step, vars, memory)?;
                let params = self.params(step, vars)?;
                let endpoint = api.endpoint(&params).ok_or_else(|| {
                    Stop::Fail(format!("{}: a path parameter is missing", api.name()))
                })?;
                let party = party()?;
                let mut session = self.session(&step.role, &party).await?;
                // A 1005 the step did not ask for means the token lapsed: renew it once,
                // unless the step tampers with headers (then the 1005 is the point).
                let renewable =
                    !step.expect.error_codes.iter().any(|c| c == "1005") && headers.is_empty();
                if !renewable {
                    let answer =
                        self.peer()
                            .client
                            .call(&session, &endpoint, body.as_ref(), &headers);
                    return Ok(answer.await?);
                }
                let login = login_of(&party, &Default::default());
                let policy = if step.retry {
                    self.retry.clone()
                } else {
                    RetryPolicy::none()
                };
                let answer = self
                    .peer()
                    .client
                    .call_retrying(&mut session, &login, &endpoint, body.as_ref(), &policy)
                    .await;
                self.sessions.insert((self.at, step.role.clone()), session);
                let failed = answer
                    .as_ref()
                    .map_or(true, |a| irp_client::transient_status(a.http_status));
                match (&step.failover, failed) {
                    (Some(to), true) => {
                        let call = Carried {
                            role: &step.role,
                            party: &party,
                            login: &login,
                            endpoint: &endpoint,
                            body: body.as_ref(),
                            policy: &policy,
                        };
                        self.fail_over(to, call).await
                    }
                    _ => Ok(answer?),
                }
            }
        }
    }

    /// Sends `call` again at IRP `to` after it failed at the current one: logs in there and
    /// reconciles a 2150 through the `irp` header (`Client::call_after_failover`).
    async fn fail_over(&mut self, to: &str, call: Carried<'_>) -> Result<Answer, Stop> {
        let from = self.peer().name.to_ascii_uppercase();
        let to_index = self
            .peers
            .iter()
            .position(|p| p.name.eq_ignore_ascii_case(to.trim()))
            .ok_or_else(|| Stop::Skip(format!("the run has no IRP `{to}` to fail over to")))?;
        self.at = to_index;
        let mut session = self.session(call.role, call.party).await?;
        let answer = self
            .peer()
            .client
            .call_after_failover(
                &mut session,
                call.login,
                call.endpoint,
                call.body,
                call.policy,
                &from,
            )
            .await;
        self.sessions
            .insert((self.at, call.role.to_owned()), session);
        Ok(answer?)
    }

    fn params(&self, step: &Step, vars: &Vars<'_>) -> Result<Params, Stop> {
        let get = |name: &str| -> Result<Option<String>, Stop> {
            Ok(step
                .params
                .get(name)
                .map(|v| vars.expand_str(v))
                .transpose()?)
        };
        let document = match (get("doctype")?, get("docnum")?, get("docdate")?) {
            (Some(t), Some(n), Some(d)) => Some((t, n, d)),
            _ => None,
        };
        Ok(Params {
            irn: get("irn")?,
            gstin: get("gstin")?,
            document,
            date: get("date")?,
        })
    }

    /// The request body: resent, generated, or the template; then the patches.
    fn body(
        &self,
        scenario: &Scenario,
        step: &Step,
        vars: &Vars<'_>,
        memory: &Memory,
    ) -> Result<Option<Value>, Stop> {
        let stream = format!("{}/{}/{}", scenario.name, vars.repeat, step.name);
        let mut generator = Generator::new(self.seed, &stream);
        let today = vars.today;
        let mut body = if let Some(earlier) = &step.resend {
            memory.requests.get(earlier).cloned()
        } else if let Some(spec) = &step.invoice {
            Some(self.invoice(&mut generator, step, &expand_as(vars, spec)?, vars)?)
        } else {
            step.body.as_ref().map(|b| vars.expand(b)).transpose()?
        };
        if let (Some(ewb), Value::Object(map)) = (&step.ewb, body.get_or_insert(Value::Null))
            && let Value::Object(details) = generator.ewb_details(ewb, today)
        {
            for (key, value) in details {
                map.entry(key).or_insert(value);
            }
        }
        if body.as_ref().is_some_and(Value::is_null) {
            body = None;
        }
        for patch in &step.patch {
            let target = body.get_or_insert_with(|| Value::Object(Default::default()));
            let value = patch.value.as_ref().map(|v| vars.expand(v)).transpose()?;
            apply(target, &patch.path, value).map_err(Stop::Fail)?;
        }
        Ok(body)
    }

    fn invoice(
        &self,
        generator: &mut Generator,
        step: &Step,
        spec: &InvoiceSpec,
        vars: &Vars<'_>,
    ) -> Result<Value, Stop> {
        let role = |name: &str| {
            vars.profile
                .party(name)
                .ok_or_else(|| Stop::Skip(format!("the profile has no role `{name}`")))
        };
        let seller = role(&step.role)?;
        let buyer_role = spec.buyer.clone().or_else(|| {
            match spec.supply {
                SupplyType::B2b | SupplyType::Dexp => Some("buyer_same_state"),
                SupplyType::Sezwp | SupplyType::Sezwop => Some("sez_unit"),
                SupplyType::Expwp | SupplyType::Expwop => None,
            }
            .map(str::to_owned)
        });
        let buyer = buyer_role.as_deref().map(role).transpose()?;
        let doc_no = spec
            .doc_no
            .clone()
            .unwrap_or_else(|| vars.doc_no.to_owned());
        let date = vars.today + Duration::days(i64::from(spec.date_offset_days));
        Ok(generator.invoice(spec, Parties { seller, buyer }, &doc_no, date))
    }
}

/// Sets (or with `None` removes) the member at JSON pointer `path`; `-` appends.
fn apply(target: &mut Value, path: &str, value: Option<Value>) -> Result<(), String> {
    if path.is_empty() {
        *target = value.unwrap_or(Value::Null);
        return Ok(());
    }
    let (parent, last) = path
        .rsplit_once('/')
        .ok_or_else(|| format!("patch {path}: not a JSON pointer"))?;
    let last = last.replace("~1", "/").replace("~0", "~");
    let parent = target
        .pointer_mut(parent)
        .ok_or_else(|| format!("patch {path}: {parent} does not exist"))?;
    match (parent, value) {
        (Value::Object(map), Some(value)) => {
            map.insert(last, value);
        }
        (Value::Object(map), None) => {
            map.remove(&last);
        }
        (Value::Array(items), Some(value)) if last == "-" => items.push(value),
        (Value::Array(items), value) => {
            let index: usize = last
                .parse()
                .map_err(|_| format!("patch {path}: `{last}` is not an index"))?;
            match value {
                Some(value) => {
                    *items
                        .get_mut(index)
                        .ok_or_else(|| format!("patch {path}: no item {index}"))? = value
                }
                None if index < items.len() => {
                    items.remove(index);
                }
                None => return Err(format!("patch {path}: no item {index}")),
            }
        }
        _ => return Err(format!("patch {path}: parent is not an object or array")),
    }
    Ok(())
}

/// A call to carry to another IRP.
struct Carried<'a> {
    role: &'a str,
    party: &'a crate::profile::Party,
    login: &'a irp_client::Login,
    endpoint: &'a irp_client::Endpoint,
    body: Option<&'a Value>,
    policy: &'a RetryPolicy,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn patches_set_remove_and_append() {
        let mut doc = json!({"a": {"b": 1}, "list": [1, 2, 3]});
        apply(&mut doc, "/a/b", Some(json!(2))).unwrap();
        apply(&mut doc, "/a/c", Some(json!("new"))).unwrap();
        apply(&mut doc, "/list/0", None).unwrap();
        apply(&mut doc, "/list/-", Some(json!(9))).unwrap();
        apply(&mut doc, "/list/0", Some(json!(7))).unwrap();
        assert_eq!(doc, json!({"a": {"b": 2, "c": "new"}, "list": [7, 3, 9]}));
        assert!(apply(&mut doc, "/missing/x", Some(json!(1))).is_err());
        assert!(apply(&mut doc, "/list/x", Some(json!(1))).is_err());
        assert!(apply(&mut doc, "/list/99", None).is_err());
        apply(&mut doc, "/a/b", None).unwrap();
        assert!(doc["a"].get("b").is_none());
    }
}
