//! A 政府信息公开申请 as submitted (条例第二十九条): applicant, contact,
//! the information sought and the form in which it is wanted. There is no
//! purpose field: the 2019 条例 dropped the "三需要" (生产、生活、科研
//! 特殊需要) condition, so asking for a purpose must not be mandatory.

use super::applicant::ApplicantKind;
use super::contact::{Contact, ContactForm};
use super::id_doc::{IdDocType, IdDocument};
use crate::text::{self, FieldErrors};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 100;
pub const TITLE_MAX: usize = 200;
pub const DOC_NUMBER_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 2000;

/// 政府信息的提供形式 (第二十九条第二款第（三）项, 第四十条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionForm {
    /// 纸质
    Paper,
    /// 电子邮件
    Email,
    /// 光盘/电子数据
    ElectronicMedia,
    /// 网上获取
    Online,
    /// 当场阅读、抄录
    Inspection,
}

/// 获取信息的方式、途径.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryWay {
    /// 邮寄
    Post,
    /// 电子邮件
    Email,
    /// 当面领取
    Pickup,
    /// 网上获取
    Online,
    /// 传真
    Fax,
}

macro_rules! keyed_enum {
    ($t:ty, [$(($v:path, $key:literal, $label:literal)),* $(,)?]) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$($v),*];

            pub fn as_str(self) -> &'static str {
                match self { $($v => $key),* }
            }

            pub fn label(self) -> &'static str {
                match self { $($v => $label),* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|x| x.as_str() == s || x.label() == s)
            }
        }
    };
}

keyed_enum!(
    ProvisionForm,
    [
        (ProvisionForm::Paper, "paper", "纸质"),
        (ProvisionForm::Email, "email", "电子邮件"),
        (
            ProvisionForm::ElectronicMedia,
            "electronic_media",
            "光盘/电子数据"
        ),
        (ProvisionForm::Online, "online", "网上获取"),
        (ProvisionForm::Inspection, "inspection", "当场阅读、抄录"),
    ]
);

keyed_enum!(
    DeliveryWay,
    [
        (DeliveryWay::Post, "post", "邮寄"),
        (DeliveryWay::Email, "email", "电子邮件"),
        (DeliveryWay::Pickup, "pickup", "当面领取"),
        (DeliveryWay::Online, "online", "网上获取"),
        (DeliveryWay::Fax, "fax", "传真"),
    ]
);

impl ProvisionForm {
    /// The ways this form can reach the applicant. Paper can be posted,
    /// collected or faxed; electronic data can be mailed (disc) or collected;
    /// e-mail and online are their own channel; inspection is on site.
    pub fn allows(self, way: DeliveryWay) -> bool {
        use DeliveryWay as W;
        match self {
            Self::Paper => matches!(way, W::Post | W::Pickup | W::Fax),
            Self::Email => way == W::Email,
            Self::ElectronicMedia => matches!(way, W::Post | W::Pickup),
            Self::Online => way == W::Online,
            Self::Inspection => way == W::Pickup,
        }
    }
}

/// 申请公开的政府信息 (第二十九条第二款第（二）项).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfoSought {
    /// 名称
    pub title: Option<String>,
    /// 文号
    pub doc_number: Option<String>,
    /// 便于查询的特征性描述
    pub description: String,
}

/// The applicant as validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub kind: ApplicantKind,
    /// 姓名或者名称
    pub name: String,
    pub id_doc: IdDocument,
    /// For organisations: the person handling the application (联系人).
    pub contact_person: Option<String>,
    pub contact: Contact,
}

/// A validated application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub applicant: Applicant,
    pub info: InfoSought,
    pub provision_form: ProvisionForm,
    pub delivery: DeliveryWay,
}

/// The raw application form (web form, or staff typing in a paper or oral application).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ApplicationForm {
    /// An [`ApplicantKind::column_key`].
    pub applicant_kind: String,
    pub name: String,
    /// An [`IdDocType::as_str`].
    pub id_type: String,
    pub id_number: String,
    pub contact_person: String,
    pub contact: ContactForm,
    pub info_title: String,
    pub info_doc_number: String,
    pub info_description: String,
    pub provision_form: String,
    pub delivery: String,
}

impl ApplicationForm {
    pub fn validate(&self) -> Result<Application, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = ApplicantKind::parse(&self.applicant_kind);
        if kind.is_none() {
            e.add("applicant_kind", "请选择申请人类型");
        }
        let natural = kind.is_none_or(ApplicantKind::is_natural);
        let name_label = if natural { "姓名" } else { "名称" };
        let name = text::required(&mut e, "name", name_label, &self.name, NAME_MAX);
        let id_doc = match IdDocType::parse(&self.id_type) {
            None => {
                e.add("id_type", "请选择身份证明类型");
                None
            }
            Some(t) if kind.is_some() && !t.fits(natural) => {
                e.add(
                    "id_type",
                    if natural {
                        "自然人不能以统一社会信用代码作为身份证明"
                    } else {
                        "法人或其他组织请填写统一社会信用代码，没有的请选择“其他证件”"
                    },
                );
                None
            }
            Some(t) => IdDocument::parse(t, &self.id_number)
                .map_err(|m| e.add("id_number", m))
                .ok(),
        };
        let contact_person = text::optional(
            &mut e,
            "contact_person",
            "联系人",
            &self.contact_person,
            NAME_MAX,
        );
        let contact = self.contact.validate(&mut e);
        let info = InfoSought {
            title: text::optional(
                &mut e,
                "info_title",
                "信息名称",
                &self.info_title,
                TITLE_MAX,
            ),
            doc_number: text::optional(
                &mut e,
                "info_doc_number",
                "文号",
                &self.info_doc_number,
                DOC_NUMBER_MAX,
            ),
            description: text::optional_text(
                &mut e,
                "info_description",
                "所需信息的特征性描述",
                &self.info_description,
                DESCRIPTION_MAX,
            ),
        };
        if info.description.is_empty() {
            e.add(
                "info_description",
                "请描述所需的政府信息（如内容、形成时间、制作机关），便于查询",
            );
        }
        let provision_form = ProvisionForm::parse(&self.provision_form);
        if provision_form.is_none() {
            e.add("provision_form", "请选择提供政府信息的形式");
        }
        let delivery = DeliveryWay::parse(&self.delivery);
        match (provision_form, delivery) {
            (_, None) => e.add("delivery", "请选择获取信息的方式"),
            (Some(f), Some(w)) if !f.allows(w) => e.add(
                "delivery",
                format!("“{}”形式的信息不能通过“{}”获取", f.label(), w.label()),
            ),
            _ => {}
        }
        match delivery {
            Some(DeliveryWay::Email) if contact.email.is_none() => {
                e.add("email", "选择电子邮件获取时，请填写电子邮箱");
            }
            Some(DeliveryWay::Post) if contact.postal_address.is_none() => {
                e.add("postal_address", "选择邮寄获取时，请填写通信地址");
            }
            Some(DeliveryWay::Fax) if contact.phone.is_none() => {
                e.add("phone", "选择传真获取时，请填写传真号码");
            }
            _ => {}
        }
        let (Some(kind), Some(id_doc), Some(provision_form), Some(delivery)) =
            (kind, id_doc, provision_form, delivery)
        else {
            return Err(e);
        };
        e.into_result(Application {
            applicant: Applicant {
                kind,
                name,
                id_doc,
                contact_person,
                contact,
            },
            info,
            provision_form,
            delivery,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::applicant::OrgApplicantType;
    use crate::request::id_doc::resident_id_check_char;

    fn person() -> ApplicationForm {
        let body = "43010219900307123";
        ApplicationForm {
            applicant_kind: "natural".into(),
            name: "张三".into(),
            id_type: "resident_id".into(),
            id_number: format!("{body}{}", resident_id_check_char(body).unwrap()),
            contact: ContactForm {
                phone: "13812345678".into(),
                email: "zhangsan@example.com".into(),
                ..Default::default()
            },
            info_description: "2024年青岚市老旧小区改造项目的资金分配文件".into(),
            provision_form: "email".into(),
            delivery: "email".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_application_validates_without_a_purpose() {
        let a = person().validate().unwrap();
        assert_eq!(a.applicant.kind, ApplicantKind::Natural);
        assert_eq!(a.applicant.kind.column_key(), "natural");
        assert_eq!(a.provision_form, ProvisionForm::Email);
        assert_eq!(a.info.title, None);
    }

    #[test]
    fn the_description_is_required_and_limited() {
        let mut f = person();
        f.info_description = "  ".into();
        assert!(f.validate().unwrap_err().get("info_description").is_some());
        f.info_description = "文".repeat(DESCRIPTION_MAX + 1);
        assert_eq!(
            f.validate().unwrap_err().get("info_description"),
            Some("所需信息的特征性描述不能超过2000个字符")
        );
        f.info_description = "文".repeat(DESCRIPTION_MAX);
        assert!(f.validate().is_ok());
    }

    #[test]
    fn organisations_prove_identity_with_a_credit_code() {
        let code = crate::org_code::complete_credit_code("91430100MA4L00000").unwrap();
        let mut f = person();
        f.applicant_kind = "legal_service".into();
        f.name = "青岚某律师事务所".into();
        assert!(f.validate().unwrap_err().get("id_type").is_some());
        f.id_type = "credit_code".into();
        f.id_number = code.to_string();
        let a = f.validate().unwrap();
        assert_eq!(
            a.applicant.kind,
            ApplicantKind::Organisation(OrgApplicantType::LegalService)
        );
        let mut p = person();
        p.id_type = "credit_code".into();
        p.id_number = code.to_string();
        assert_eq!(
            p.validate().unwrap_err().get("id_type"),
            Some("自然人不能以统一社会信用代码作为身份证明")
        );
    }

    #[test]
    fn the_delivery_way_must_suit_the_form_and_the_contact() {
        let mut f = person();
        f.provision_form = "inspection".into();
        f.delivery = "email".into();
        assert_eq!(
            f.validate().unwrap_err().get("delivery"),
            Some("“当场阅读、抄录”形式的信息不能通过“电子邮件”获取")
        );
        let mut f = person();
        f.provision_form = "paper".into();
        f.delivery = "post".into();
        assert_eq!(
            f.validate().unwrap_err().get("postal_address"),
            Some("选择邮寄获取时，请填写通信地址")
        );
        f.contact.postal_address = "青岚市人民路1号".into();
        assert!(f.validate().is_ok());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let e = ApplicationForm::default().validate().unwrap_err();
        for field in [
            "applicant_kind",
            "name",
            "id_type",
            "phone",
            "info_description",
            "provision_form",
            "delivery",
        ] {
            assert!(e.get(field).is_some(), "{field}");
        }
    }
}
