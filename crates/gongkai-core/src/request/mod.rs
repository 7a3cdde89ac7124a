//! 依申请公开: the domain of disclosure requests (条例第二十七–四十五条).
//!
//! * [`applicant`], [`id_doc`], [`contact`], [`application`]: what an
//!   application contains and how it is validated (第二十九条);
//! * [`outcome`], [`closing`]: how a case ends, one 表三 row per outcome,
//!   and what the reply must state (第三十六–三十九条);
//! * [`fees`]: 信息处理费 (第四十二条, 国办函〔2020〕109号);
//! * [`case_clock`]: the statutory deadlines of a case (第三十–三十四条);
//! * [`case`]: a stored case — number, query code, entries, status;
//! * [`appeal`]: the 行政复议/行政诉讼 register (年报表四);
//! * [`notice`]: the written notices (答复告知书 per outcome, 受理回执,
//!   补正/延期告知书, 收费通知) and the reply lint;
//! * [`issued`]: issuing them — agency notice settings, 文号, e-mails.
//!
//! Rules that could not be verified against a source are marked \[R\] in
//! their doc comments (see ogi-domain.md §0).

pub mod appeal;
pub mod applicant;
pub mod application;
pub mod case;
pub mod case_clock;
pub mod closing;
pub mod contact;
pub mod documents;
pub mod fees;
pub mod id_doc;
pub mod issued;
pub mod notice;
pub mod outcome;

pub use applicant::{ApplicantKind, OrgApplicantType};
pub use application::{Application, ApplicationForm, DeliveryWay, ProvisionForm};
pub use case::{
    CaseAction, CaseEntry, CaseError, CaseId, CaseStatus, Intake, IntakeForm, NewCaseEntry,
    QueryCode, RequestCase,
};
pub use case_clock::{CaseClock, CaseClockError, CaseEvent, Channel, ClockPolicy, ClockStatus};
pub use closing::{Closing, ClosingDetails, ClosingForm};
pub use fees::{FeeBasis, FeeBreakdown, FeeMethod};
pub use notice::{LintError, Notice, NoticeKind, ReplyInput};
pub use outcome::{Outcome, OutcomeFamily};
