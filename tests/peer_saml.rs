//! A peer SAML toolkit's whole test suite (python3-saml: 84 responses, valid ones, invalid
//! ones and signature-wrapping attacks, kept beside the repository with a manifest of the
//! certificate each is verified with, the toolkit's verdict and, for attacks, what they do),
//! through `samlfx inspect`:
//!
//! - no file crashes or hangs it: every run ends with status 0, 1 or 2 and a JSON report;
//! - no attack is shown as signed content: each draws a signature error (S103 several
//!   assertions, S115 a signature that does not verify, S116 an assertion no verified signature
//!   covers, S118 wrapping) or is refused outright;
//! - the verdict on the first signature in document order is the independent `xmlsec1
//!   --verify`'s with the same certificate, and every other signature samlfx verifies, xmlsec1
//!   asked for that signature (`--node-xpath`) verifies too;
//! - what the toolkit judges valid has no signature that fails.

use std::process::Command;

use serde_json::Value;

#[test]
fn every_peer_response_is_read_and_no_attack_is_shown_as_signed() {
    let Some(root) = samlfx_testdata::shared(
        "peer-saml/python3-saml",
        "a peer SAML toolkit's test responses",
    ) else {
        return;
    };
    let manifest: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(root.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest.len(), 84);
    let scratch = std::env::temp_dir().join(format!("samlfx-peer-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let (mut attacks, mut compared) = (0, 0);
    for entry in &manifest {
        let path = root.join(entry["path"].as_str().unwrap());
        let kind = entry["kind"].as_str().unwrap();
        let verdict = entry["verdict"].as_str().unwrap();
        // `fp:…` entries trust the certificate inside the response, which samlfx never does:
        // they are inspected without one.
        let cert = entry["idp_cert"]
            .as_str()
            .filter(|c| c.starts_with("certs/"))
            .map(|c| root.join(c));
        let mut args = vec![
            "inspect".to_owned(),
            "--format".to_owned(),
            "json".to_owned(),
            "--now".to_owned(),
            "2014-01-01T00:00:00Z".to_owned(),
        ];
        if let Some(c) = &cert {
            args.extend(["--idp-cert".to_owned(), c.display().to_string()]);
        }
        args.push(path.display().to_string());
        let out = Command::new(env!("CARGO_BIN_EXE_samlfx"))
            .args(&args)
            .output()
            .unwrap();
        let name = path.display();
        let status = out.status.code();
        assert!(matches!(status, Some(0..=2)), "{name}: {status:?}");
        let json: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: {e}: {}", String::from_utf8_lossy(&out.stdout)));
        let errors: Vec<&str> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        let signatures = json["response"]["signatures"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if kind == "attack" {
            attacks += 1;
            assert!(
                status == Some(2)
                    || errors
                        .iter()
                        .any(|c| ["S103", "S115", "S116", "S118"].contains(c)),
                "{name}: an attack with no signature error: {errors:?} {signatures:?}"
            );
        }
        if verdict == "valid" && cert.is_some() {
            assert!(!errors.contains(&"S115"), "{name}: {errors:?}");
        }
        // The first signature's verdict against xmlsec1's, on the decoded XML.
        let (Some(cert), Some(first)) = (&cert, signatures.first()) else {
            continue;
        };
        let decoded = samlfx_saml::decode::decode(&std::fs::read(&path).unwrap()).unwrap();
        let xml = scratch.join("response.xml");
        std::fs::write(&xml, decoded.xml.trim_start_matches('\u{feff}')).unwrap();
        let xmlsec1 = xmlsec1_verify(cert, &xml, None);
        assert_eq!(
            first["verified"] == true,
            xmlsec1.status.success(),
            "{name}: samlfx {first} vs xmlsec1 {}",
            String::from_utf8_lossy(&xmlsec1.stderr)
        );
        compared += 1;
        // Every other signature: samlfx never verifies one that xmlsec1, asked for that very
        // signature, refuses (it may refuse more: a signature outside the element it signs, or
        // one it cannot isolate, counts for nothing).
        for (i, sig) in signatures.iter().enumerate().skip(1) {
            if sig["verified"] != true {
                continue;
            }
            let xpath = format!("(//*[local-name()='Signature'])[{}]", i + 1);
            let one = xmlsec1_verify(cert, &xml, Some(&xpath));
            assert!(
                one.status.success(),
                "{name}: samlfx verified signature {i}, xmlsec1 refuses it: {}",
                String::from_utf8_lossy(&one.stderr)
            );
            compared += 1;
        }
    }
    assert_eq!(attacks, 11);
    assert!(compared >= 45, "{compared} verdicts compared");
    let _ = std::fs::remove_dir_all(&scratch);
}

/// `xmlsec1 --verify` of `xml` with `cert`, IDs as SAML has them: the first signature, or the
/// one `xpath` selects.
fn xmlsec1_verify(
    cert: &std::path::Path,
    xml: &std::path::Path,
    xpath: Option<&str>,
) -> std::process::Output {
    let mut cmd = Command::new("xmlsec1");
    cmd.args(["--verify", "--pubkey-cert-pem"]).arg(cert).args([
        "--id-attr:ID",
        "urn:oasis:names:tc:SAML:2.0:protocol:Response",
        "--id-attr:ID",
        "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
    ]);
    if let Some(x) = xpath {
        cmd.args(["--node-xpath", x]);
    }
    cmd.arg(xml)
        .output()
        .expect("xmlsec1 (Debian package xmlsec1) runs")
}
