//! Real metadata of public Salesforce projects (kept beside the repository, in
//! `shared/real-metadata/`, one folder per repository): OAuth, canvas and bookmark apps, SAML
//! apps for many service providers, Open CTI call centers and a Service Cloud Voice app, none
//! written for samlfx. Every file is read, and the rules of per-app scope hold on them:
//!
//! - no file is an input error (exit status 2 of `samlfx check`);
//! - an app without SAML has no error;
//! - an app that does not sign in to AWS gets no AWS rule (no `A` code, no AWS wording);
//! - a file gives the same findings checked alone as checked with its whole repository.

use std::path::{Path, PathBuf};

use samlfx_app::{CheckOptions, Content, Loaded, check_files, load};
use samlfx_aws::profile::Profile;
use samlfx_diag::Diagnostic;

fn repositories() -> Option<Vec<PathBuf>> {
    let root = samlfx_testdata::shared("real-metadata", "real metadata of public projects")?;
    let mut repos: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    repos.sort();
    Some(repos)
}

fn check(files: &[Loaded]) -> Vec<Vec<Diagnostic>> {
    check_files(files, &CheckOptions::default(), &Default::default())
}

#[test]
fn every_real_file_is_read_and_scoped_by_itself() {
    let Some(repos) = repositories() else {
        return;
    };
    let (mut files, mut apps, mut no_saml, mut centers) = (0, 0, 0, 0);
    for repo in &repos {
        let together = load(repo);
        assert!(!together.is_empty(), "{}", repo.display());
        let found = check(&together);
        for (file, ds) in together.iter().zip(&found) {
            let name = file.source.display_name();
            files += 1;
            assert!(!file.input_failed(), "{name}: {:#?}", file.diagnostics);
            assert!(file.content.is_some(), "{name}");
            // Alone: the same findings.
            let alone = load(Path::new(&name));
            assert_eq!(alone.len(), 1);
            assert_eq!(&check(&alone)[0], ds, "{name}: alone and together differ");
            match &file.content {
                Some(Content::App(app)) => {
                    apps += 1;
                    let profile = samlfx_app::app_profile(app, &[]);
                    if !app.saml {
                        no_saml += 1;
                        assert_eq!(profile, Profile::None, "{name}");
                        assert!(ds.iter().all(|d| !d.is_error()), "{name}: {ds:#?}");
                    }
                    if profile == Profile::None {
                        for d in ds {
                            assert!(!d.code.as_str().starts_with('A'), "{name}: {d:#?}");
                            let words = format!("{} {:?} {:?}", d.message, d.help, d.notes);
                            assert!(!words.contains("AWS"), "{name}: {d:#?}");
                        }
                    }
                }
                Some(Content::ContactCenter(_)) => centers += 1,
                _ => {}
            }
        }
    }
    // What the data holds (its README lists the files): a guard against reading nothing.
    assert_eq!(repos.len(), 9);
    assert_eq!(files, 82, "files read");
    assert!(
        apps >= 70 && no_saml >= 60 && centers == 2,
        "{apps} {no_saml} {centers}"
    );
}
