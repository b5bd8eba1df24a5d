//! A SAML Response read into a model: every element found by namespace and local name, as AWS
//! reads it (any prefix), with the bytes of every value in the decoded XML so that a finding
//! points at them.

use chrono::{DateTime, Utc};
use samlfx_app::Text;
use samlfx_app::xml::{Dialect, Element};
use samlfx_diag::{Code, Diagnostic, Span};

pub const PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const ASSERTION: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
pub const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";

/// How the XML reader reports a captured response's problems.
pub const RESPONSE_XML: Dialect = Dialect {
    malformed: Code::MalformedResponseXml,
    doctype: Code::ResponseDoctype,
    doctype_help: "a SAML Response never has a DOCTYPE; one that declares entities is an XXE or billion-laughs attack, and AWS refuses it too",
    too_deep: Code::ResponseXmlLimit,
    too_deep_help: "a SAML Response nests about eight elements deep; this is not one",
    entity: Code::ResponseEntity,
    document: "the response",
    root_example: "a SAML Response's root element is `<samlp:Response>`",
};

/// One element with its namespace resolved.
#[derive(Clone, Debug)]
pub struct Node<'a> {
    pub ns: Option<String>,
    pub el: &'a Element,
    pub children: Vec<Node<'a>>,
}

impl<'a> Node<'a> {
    /// Resolves the namespaces of `el` and its descendants (`scope` holds the prefixes declared
    /// by its ancestors, innermost last).
    fn resolve(el: &'a Element, scope: &mut Vec<(String, String)>) -> Node<'a> {
        let declared = scope.len();
        for a in &el.attributes {
            if a.qname == "xmlns" {
                scope.push((String::new(), a.value.value.clone()));
            } else if let Some(p) = a.qname.strip_prefix("xmlns:") {
                scope.push((p.to_owned(), a.value.value.clone()));
            }
        }
        let prefix = el.qname.split_once(':').map_or("", |(p, _)| p);
        let ns = scope
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.clone())
            .filter(|uri| !uri.is_empty());
        let children = el
            .children
            .iter()
            .map(|c| Node::resolve(c, scope))
            .collect();
        scope.truncate(declared);
        Node { ns, el, children }
    }

    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.ns.as_deref() == Some(ns) && self.el.name == local
    }

    pub fn children(&self, ns: &'a str, local: &'a str) -> impl Iterator<Item = &Node<'a>> {
        self.children.iter().filter(move |c| c.is(ns, local))
    }

    pub fn child(&self, ns: &str, local: &str) -> Option<&Node<'a>> {
        self.children.iter().find(|c| c.is(ns, local))
    }

    /// An unqualified attribute's value.
    pub fn attr(&self, name: &str) -> Option<&'a Text> {
        self.el
            .attributes
            .iter()
            .find(|a| a.qname == name)
            .map(|a| &a.value)
    }

    /// Every element of the subtree, this one first, in document order.
    pub fn walk<'s>(&'s self, out: &mut Vec<&'s Node<'a>>) {
        out.push(self);
        for c in &self.children {
            c.walk(out);
        }
    }
}

/// An element's text, and the element.
#[derive(Clone, Debug)]
pub struct Value {
    pub text: Text,
    /// The whole element.
    pub span: Span,
    /// Its start tag's name: where "this element is wrong" points.
    pub name_span: Span,
    /// A comment inside the text, which splits it for readers that keep the first part.
    pub comment: Option<Span>,
}

impl Value {
    fn of(node: &Node) -> Value {
        Value {
            text: node.el.text.clone(),
            span: node.el.span,
            name_span: node.el.name_span,
            comment: node.el.comment,
        }
    }

    /// Where a finding about the value points: the text, or the element when it is empty.
    pub fn here(&self) -> Span {
        if self.text.value.trim().is_empty() {
            self.name_span
        } else {
            self.text.span()
        }
    }
}

/// A timestamp attribute, as written and as read.
#[derive(Clone, Debug)]
pub struct Instant {
    pub text: Text,
    /// `None` when it is not an `xs:dateTime` in UTC (reported by [`read`]).
    pub at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug)]
pub struct Response {
    pub span: Span,
    pub name_span: Span,
    pub id: Option<Text>,
    pub destination: Option<Text>,
    pub issue_instant: Option<Instant>,
    pub issuer: Option<Value>,
    /// `Status/StatusCode/@Value`.
    pub status: Option<Text>,
    pub assertions: Vec<Assertion>,
    /// `EncryptedAssertion` elements.
    pub encrypted: Vec<Span>,
    /// The whole of each `EncryptedAssertion` element: what a decryptor is given.
    pub encrypted_elements: Vec<Span>,
    /// Every `ds:Signature` of the document, in document order.
    pub signatures: Vec<Signature>,
    /// Every element with an `ID` attribute: the ID, the element, its local name.
    pub ids: Vec<(String, Span, String)>,
}

#[derive(Clone, Debug)]
pub struct Assertion {
    pub span: Span,
    pub name_span: Span,
    pub id: Option<Text>,
    pub issue_instant: Option<Instant>,
    pub issuer: Option<Value>,
    /// The `Subject` element, when there is one.
    pub subject: Option<Span>,
    pub name_id: Option<Value>,
    pub name_id_format: Option<Text>,
    pub confirmations: Vec<Confirmation>,
    pub conditions: Option<Conditions>,
    /// `AuthnStatement/@SessionNotOnOrAfter` of each AuthnStatement.
    pub authn: Vec<Option<Instant>>,
    pub attributes: Vec<Attribute>,
    /// The first `AttributeStatement`: where a missing attribute is reported.
    pub attribute_statement: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct Confirmation {
    pub span: Span,
    pub name_span: Span,
    pub method: Option<Text>,
    /// Whether it has a `SubjectConfirmationData` at all.
    pub has_data: bool,
    pub recipient: Option<Text>,
    pub not_on_or_after: Option<Instant>,
    pub not_before: Option<Instant>,
}

#[derive(Clone, Debug)]
pub struct Conditions {
    pub span: Span,
    pub name_span: Span,
    pub not_before: Option<Instant>,
    pub not_on_or_after: Option<Instant>,
    /// Each `AudienceRestriction`: its start tag's name and its audiences.
    pub restrictions: Vec<(Span, Vec<Value>)>,
}

#[derive(Clone, Debug)]
pub struct Attribute {
    pub span: Span,
    pub name_span: Span,
    /// `@Name`.
    pub name: Option<Text>,
    pub values: Vec<Value>,
}

#[derive(Clone, Debug)]
pub struct Signature {
    pub span: Span,
    pub name_span: Span,
    /// The element the signature sits in: its span and local name.
    pub parent: Option<(Span, String)>,
    /// `SignedInfo/Reference/@URI` of each reference.
    pub references: Vec<Text>,
    pub signature_method: Option<Text>,
    pub digest_methods: Vec<Text>,
}

/// Parses the decoded XML and reads the Response. `None` when the text is not XML or its root
/// is not a SAML 2.0 `Response`; the reasons are in `diags`, with problems of a readable
/// response (a timestamp that is not one).
pub fn read(xml: &str, diags: &mut Vec<Diagnostic>) -> Option<Response> {
    let root = samlfx_app::xml::parse_as(xml, &RESPONSE_XML, diags)?;
    let tree = Node::resolve(&root, &mut Vec::new());
    if !tree.is(PROTOCOL, "Response") {
        let found = match &tree.ns {
            Some(ns) => format!("`<{}>` in the namespace `{ns}`", root.name),
            None => format!("`<{}>` in no namespace", root.name),
        };
        diags.push(
            Diagnostic::new(
                Code::NotASamlResponse,
                format!("the root element is {found}, not a SAML 2.0 `Response`"),
            )
            .at(root.name_span)
            .with_help(format!(
                "AWS reads a `<samlp:Response xmlns:samlp=\"{PROTOCOL}\">`; give the whole response, not an assertion or another message"
            )),
        );
        return None;
    }
    let mut all = Vec::new();
    tree.walk(&mut all);
    let ids = all
        .iter()
        .filter_map(|n| {
            n.attr("ID")
                .map(|id| (id.value.clone(), n.el.span, n.el.name.clone()))
        })
        .collect();
    let mut signatures = Vec::new();
    collect_signatures(&tree, None, &mut signatures);
    Some(Response {
        span: root.span,
        name_span: root.name_span,
        id: tree.attr("ID").cloned(),
        destination: tree.attr("Destination").cloned(),
        issue_instant: instant(&tree, "IssueInstant", diags),
        issuer: tree.child(ASSERTION, "Issuer").map(Value::of),
        status: tree
            .child(PROTOCOL, "Status")
            .and_then(|s| s.child(PROTOCOL, "StatusCode"))
            .and_then(|c| c.attr("Value").cloned()),
        assertions: tree
            .children(ASSERTION, "Assertion")
            .map(|a| assertion(a, diags))
            .collect(),
        encrypted: tree
            .children(ASSERTION, "EncryptedAssertion")
            .map(|e| e.el.name_span)
            .collect(),
        encrypted_elements: tree
            .children(ASSERTION, "EncryptedAssertion")
            .map(|e| e.el.span)
            .collect(),
        signatures,
        ids,
    })
}

fn collect_signatures(node: &Node, parent: Option<&Node>, out: &mut Vec<Signature>) {
    if node.is(DSIG, "Signature") {
        let signed_info = node.child(DSIG, "SignedInfo");
        let references: Vec<&Node> = signed_info
            .map(|s| s.children(DSIG, "Reference").collect())
            .unwrap_or_default();
        out.push(Signature {
            span: node.el.span,
            name_span: node.el.name_span,
            parent: parent.map(|p| (p.el.span, p.el.name.clone())),
            references: references
                .iter()
                .filter_map(|r| r.attr("URI").cloned())
                .collect(),
            signature_method: signed_info
                .and_then(|s| s.child(DSIG, "SignatureMethod"))
                .and_then(|m| m.attr("Algorithm").cloned()),
            digest_methods: references
                .iter()
                .filter_map(|r| r.child(DSIG, "DigestMethod"))
                .filter_map(|m| m.attr("Algorithm").cloned())
                .collect(),
        });
        return;
    }
    for c in &node.children {
        collect_signatures(c, Some(node), out);
    }
}

fn instant(node: &Node, name: &str, diags: &mut Vec<Diagnostic>) -> Option<Instant> {
    let text = node.attr(name)?.clone();
    let at = DateTime::parse_from_rfc3339(text.value.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc));
    if at.is_none() {
        diags.push(
            Diagnostic::new(
                Code::NotASamlResponse,
                format!("`{name}` is `{}`, not an xs:dateTime", text.value),
            )
            .at(text.span())
            .with_help("SAML times are UTC xs:dateTime values, such as `2026-01-01T00:00:00Z`"),
        );
    }
    Some(Instant { text, at })
}

fn assertion(node: &Node, diags: &mut Vec<Diagnostic>) -> Assertion {
    let subject = node.child(ASSERTION, "Subject");
    let name_id = subject.and_then(|s| s.child(ASSERTION, "NameID"));
    let conditions = node.child(ASSERTION, "Conditions").map(|c| Conditions {
        span: c.el.span,
        name_span: c.el.name_span,
        not_before: instant(c, "NotBefore", diags),
        not_on_or_after: instant(c, "NotOnOrAfter", diags),
        restrictions: c
            .children(ASSERTION, "AudienceRestriction")
            .map(|r| {
                (
                    r.el.name_span,
                    r.children(ASSERTION, "Audience").map(Value::of).collect(),
                )
            })
            .collect(),
    });
    let confirmations = subject
        .map(|s| {
            s.children(ASSERTION, "SubjectConfirmation")
                .map(|c| {
                    let data = c.child(ASSERTION, "SubjectConfirmationData");
                    Confirmation {
                        span: c.el.span,
                        name_span: c.el.name_span,
                        method: c.attr("Method").cloned(),
                        has_data: data.is_some(),
                        recipient: data.and_then(|d| d.attr("Recipient").cloned()),
                        not_on_or_after: data.and_then(|d| instant(d, "NotOnOrAfter", diags)),
                        not_before: data.and_then(|d| instant(d, "NotBefore", diags)),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let statements: Vec<&Node> = node.children(ASSERTION, "AttributeStatement").collect();
    Assertion {
        span: node.el.span,
        name_span: node.el.name_span,
        id: node.attr("ID").cloned(),
        issue_instant: instant(node, "IssueInstant", diags),
        issuer: node.child(ASSERTION, "Issuer").map(Value::of),
        subject: subject.map(|s| s.el.name_span),
        name_id: name_id.map(Value::of),
        name_id_format: name_id.and_then(|n| n.attr("Format").cloned()),
        confirmations,
        conditions,
        authn: node
            .children(ASSERTION, "AuthnStatement")
            .map(|a| instant(a, "SessionNotOnOrAfter", diags))
            .collect(),
        attributes: statements
            .iter()
            .flat_map(|s| s.children(ASSERTION, "Attribute"))
            .map(|a| Attribute {
                span: a.el.span,
                name_span: a.el.name_span,
                name: a.attr("Name").cloned(),
                values: a
                    .children(ASSERTION, "AttributeValue")
                    .map(Value::of)
                    .collect(),
            })
            .collect(),
        attribute_statement: statements.first().map(|s| s.el.name_span),
    }
}
