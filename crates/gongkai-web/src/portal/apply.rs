//! 依申请公开 online: `/apply` (choose the agency) and
//! `/agency/{id}/apply` (the application form of 条例第二十九条).
//!
//! A successful submission shows the application number and the query
//! code once, in the response to the POST: the code is never stored, never
//! put in a URL, and reloading the page re-posts the same one-time form,
//! which the store refuses, so no second case is created.

use super::home::group;
use super::public_form::{self, BrowserSecret, FormToken, ip_key};
use super::request_view::{ApplicationChoices, ApplicationFields, cn_date};
use crate::console::auth::{ClientIp, random_token};
use crate::error::{error_response, render};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_core::OrgId;
use gongkai_core::audit::Actor;
use gongkai_core::org::Organisation;
use gongkai_core::request::case::{Intake, QUERY_CODE_ENTROPY_BYTES, QueryCode};
use gongkai_core::request::case_clock::Channel;
use gongkai_core::store::StoreError;
use gongkai_core::text::FieldErrors;
use serde::Deserialize;

/// Largest application form body accepted. The longest valid form
/// (2000-character description, every field full, percent-encoded) is
/// about 40 KiB; anything far beyond is refused before it is parsed.
pub const APPLY_BODY_LIMIT: usize = 128 * 1024;

// ---------- choosing the agency ----------

struct ApplyAgency {
    id: OrgId,
    name: String,
    belongs_to: Option<String>,
    /// 公开工作机构 and its phone, so the applicant can ask before applying.
    contact: Option<String>,
}

struct ApplyKind {
    label: &'static str,
    agencies: Vec<ApplyAgency>,
}

struct ApplyGov {
    heading: Option<String>,
    kinds: Vec<ApplyKind>,
}

struct ApplyLevel {
    label: &'static str,
    governments: Vec<ApplyGov>,
}

#[derive(Template)]
#[template(path = "portal/apply_agencies.html")]
struct AgenciesPage {
    layout: Layout,
    levels: Vec<ApplyLevel>,
}

fn contact_line(o: &Organisation) -> Option<String> {
    let c = &o.contact;
    let parts: Vec<String> = [
        c.office_name.clone(),
        c.phone.as_ref().map(|p| format!("电话 {p}")),
        c.address.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

pub(super) async fn agencies(State(state): State<AppState>) -> Result<Response, AppError> {
    let orgs = state.store.list_orgs().await?;
    let by_id = |id: OrgId| orgs.iter().find(|o| o.id == id);
    let levels = group(&orgs)
        .into_iter()
        .map(|l| ApplyLevel {
            label: l.label,
            governments: l
                .governments
                .into_iter()
                .map(|g| ApplyGov {
                    heading: g.heading,
                    kinds: g
                        .kinds
                        .into_iter()
                        .map(|k| ApplyKind {
                            label: k.label,
                            agencies: k
                                .agencies
                                .into_iter()
                                .map(|a| ApplyAgency {
                                    contact: by_id(a.id).and_then(contact_line),
                                    id: a.id,
                                    name: a.name,
                                    belongs_to: a.belongs_to,
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let page = AgenciesPage {
        layout: Layout::portal_with(&state.config, &orgs, "申请公开政府信息"),
        levels,
    };
    Ok(render(&page)?.into_response())
}

// ---------- the form ----------

#[derive(Debug, Default, Deserialize)]
pub struct ApplyPost {
    #[serde(flatten)]
    fields: ApplicationFields,
    #[serde(default)]
    token: String,
    #[serde(default)]
    answer: String,
}

#[derive(Template)]
#[template(path = "portal/apply_form.html")]
struct FormPage {
    layout: Layout,
    org_id: OrgId,
    org_name: String,
    /// Closed agencies take no applications; their successor does.
    active: bool,
    successor: Option<(OrgId, String)>,
    contact: Option<String>,
    f: ApplicationFields,
    choices: ApplicationChoices,
    errors: FieldErrors,
    token: String,
    question: String,
    /// Kept when it was right, so fixing another field does not mean
    /// answering again.
    answer: String,
}

#[derive(Template)]
#[template(path = "portal/apply_done.html")]
struct DonePage {
    layout: Layout,
    org_id: OrgId,
    org_name: String,
    number: String,
    code: String,
    submitted_on: String,
    /// An e-mail address was given, so the number and the code were queued
    /// for it together with the case.
    emailed: bool,
}

fn no_store(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

async fn load_org(state: &AppState, raw_id: &str) -> Result<(Vec<Organisation>, usize), AppError> {
    let id: OrgId = raw_id.parse().map_err(|_| AppError::NotFound)?;
    let orgs = state.store.list_orgs().await?;
    let idx = orgs
        .iter()
        .position(|o| o.id == id)
        .ok_or(AppError::NotFound)?;
    Ok((orgs, idx))
}

/// What a re-rendered form keeps of the posted one: its (unused) token,
/// and the answer if it was right.
struct Again {
    token: FormToken,
    answer: String,
}

/// Renders the form, with a fresh one-time token unless `again` carries
/// the posted one (setting the browser's form cookie when it has none).
fn form_page(
    state: &AppState,
    headers: &HeaderMap,
    orgs: &[Organisation],
    org: &Organisation,
    f: ApplicationFields,
    errors: FieldErrors,
    again: Option<Again>,
) -> Result<Response, AppError> {
    let browser = BrowserSecret::from_headers(headers, state.config.secure_cookies)?;
    let (token, answer) = match again {
        Some(a) => (a.token, a.answer),
        None => (browser.issue()?, String::new()),
    };
    let successor = org
        .successor_id
        .and_then(|s| orgs.iter().find(|o| o.id == s))
        .map(|o| (o.id, o.name.clone()));
    let page = FormPage {
        layout: Layout::portal_with(&state.config, orgs, &format!("申请公开 - {}", org.name)),
        org_id: org.id,
        org_name: org.name.clone(),
        active: org.active,
        successor,
        contact: contact_line(org),
        choices: f.choices(),
        f,
        errors,
        question: public_form::question(&token.nonce),
        token: token.value,
        answer,
    };
    let mut resp = no_store(render(&page)?.into_response());
    if let Some(c) = browser.set_cookie {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(resp)
}

pub(super) async fn form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (orgs, idx) = load_org(&state, &id).await?;
    form_page(
        &state,
        &headers,
        &orgs,
        &orgs[idx],
        ApplicationFields::default(),
        FieldErrors::new(),
        None,
    )
}

/// The page for a form that is stale, forged or posted from elsewhere.
pub(super) fn expired_form(back: &str) -> Response {
    error_response(
        StatusCode::FORBIDDEN,
        "页面已过期",
        format!("表单已过期或来源无法验证，申请未提交。请重新打开申请页面（{back}）填写后提交。"),
    )
}

pub(super) fn too_large() -> Response {
    error_response(
        StatusCode::PAYLOAD_TOO_LARGE,
        "提交的内容过长",
        "提交的内容超过了允许的长度，申请未提交。所需信息的描述请控制在2000字以内。".into(),
    )
}

fn query_code() -> Result<QueryCode, AppError> {
    // Rejection sampling almost never runs out of bytes; retrying keeps
    // the function total without a panic path.
    for _ in 0..4 {
        let mut buf = [0u8; QUERY_CODE_ENTROPY_BYTES];
        getrandom::fill(&mut buf).map_err(|e| AppError::Internal(format!("getrandom: {e}")))?;
        if let Some(code) = QueryCode::from_random_bytes(&buf) {
            return Ok(code);
        }
    }
    Err(AppError::Internal("could not draw a query code".into()))
}

/// A random code for callers that need one (staff intake).
pub(crate) fn new_query_code() -> Result<QueryCode, AppError> {
    query_code()
}

/// A one-time token for a staff form (duplicate-submission guard); the
/// prefix keeps it apart from public nonces in the same column.
pub(crate) fn new_form_token() -> Result<String, AppError> {
    Ok(format!("staff.{}", random_token()?))
}

pub(super) async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    posted: Result<Form<ApplyPost>, FormRejection>,
) -> Result<Response, AppError> {
    let (orgs, idx) = load_org(&state, &id).await?;
    let org = &orgs[idx];
    let back = format!("/agency/{}/apply", org.id);
    let p = match posted {
        Ok(Form(p)) => p,
        Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => return Ok(too_large()),
        Err(_) => {
            return Err(AppError::BadRequest(
                "表单内容不完整或格式不正确，请返回后重新填写。".into(),
            ));
        }
    };
    let Some(nonce) = public_form::verify(&headers, &p.token) else {
        return Ok(expired_form(&back));
    };
    if !state.public_limits.apply_per_ip.allow(&ip_key(ip)) {
        return Ok(error_response(
            StatusCode::TOO_MANY_REQUESTS,
            "提交过于频繁",
            "来自您所在网络的申请提交过于频繁，请一小时后再试，或通过信函、当面等方式提交申请。"
                .into(),
        ));
    }
    if !org.active {
        return form_page(
            &state,
            &headers,
            &orgs,
            org,
            p.fields,
            FieldErrors::new(),
            None,
        );
    }
    let validated = p.fields.to_form().validate();
    let mut errors = match &validated {
        Ok(_) => FieldErrors::new(),
        Err(e) => e.clone(),
    };
    let answered = public_form::answer_ok(&nonce, &p.answer);
    if !answered {
        errors.add(
            "answer",
            if p.answer.trim().is_empty() {
                "请回答验证问题（填写数字即可）"
            } else {
                "验证问题的答案不正确，请重新计算后填写（题目已更换）"
            },
        );
    }
    // A wrong answer gets a new question; otherwise the unused token and
    // the answer are kept while the applicant fixes other fields.
    let again = || {
        answered.then(|| Again {
            token: FormToken {
                nonce: nonce.clone(),
                value: p.token.clone(),
            },
            answer: p.answer.clone(),
        })
    };
    let application = match validated {
        Ok(a) if errors.is_empty() => a,
        _ => {
            return form_page(
                &state,
                &headers,
                &orgs,
                org,
                p.fields.clone(),
                errors,
                again(),
            );
        }
    };
    let contact_keys: Vec<(&'static str, String)> = [
        ("phone", application.applicant.contact.phone.clone()),
        (
            "email",
            application
                .applicant
                .contact
                .email
                .as_ref()
                .map(|e| e.to_lowercase()),
        ),
    ]
    .into_iter()
    .filter_map(|(field, v)| v.map(|v| (field, format!("{field}:{v}"))))
    .collect();
    let limits = &state.public_limits.apply_per_contact;
    if let Some((field, _)) = contact_keys.iter().find(|(_, k)| limits.exhausted(k)) {
        let mut errors = FieldErrors::new();
        errors.add(
            field,
            "使用该联系方式提交的申请今日已达上限，请明日再提交，或通过信函、当面等方式提交",
        );
        return form_page(
            &state,
            &headers,
            &orgs,
            org,
            p.fields.clone(),
            errors,
            again(),
        );
    }
    let today = state.today();
    let code = query_code()?;
    let intake = Intake {
        channel: Channel::Online,
        arrived_on: today,
        application,
    };
    // The number and the code are e-mailed (when an address was given) in
    // the transaction that stores the case.
    let mail = gongkai_core::store::SubmitMail {
        agency: org.name.clone(),
        context: crate::console::request_notices::mail_context(&state),
    };
    let case = match state
        .store
        .submit_request(
            &Actor::public(),
            org.id,
            &intake,
            &code,
            Some(&nonce),
            Some(&mail),
        )
        .await
    {
        Ok(c) => c,
        Err(StoreError::Conflict { .. }) => {
            return Ok(error_response(
                StatusCode::CONFLICT,
                "申请已提交",
                "这份申请表此前已经提交，没有重复提交。申请编号和查询码已在提交成功的页面上显示；如未记下，请联系该机关的政府信息公开工作机构。"
                    .into(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    for (_, key) in &contact_keys {
        limits.allow(key);
    }
    let page = DonePage {
        layout: Layout::portal_with(&state.config, &orgs, "申请已提交"),
        org_id: org.id,
        org_name: org.name.clone(),
        // The same test as the store's `submitted_mail`: a non-blank address.
        emailed: case
            .application
            .applicant
            .contact
            .email
            .as_deref()
            .is_some_and(|e| !e.trim().is_empty()),
        number: case.number,
        code: code.grouped(),
        submitted_on: cn_date(today),
    };
    Ok(no_store(render(&page)?.into_response()))
}
