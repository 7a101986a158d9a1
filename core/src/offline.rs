//! The archive's copy on this device: what the service worker reports of it (`www/sw.js`,
//! through `www/main.js`) and what the page says and offers about it.
//!
//! A site below the archive size installs whole at the first visit, and says nothing. An
//! archive's service worker keeps what is read and searched; the page shows how much of the
//! archive is on the device and offers to download the rest ("Télécharger l'archive pour la
//! lecture hors ligne"), after checking that the browser grants the site the room, with the
//! download's progress, a way to cancel it, and to resume it where it stopped.

use serde::Deserialize;

/// Where the download stands, as the service worker reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DownloadState {
    /// None since the service worker started.
    Idle,
    Running,
    Done,
    Cancelled,
    Failed,
}

/// Why a download stopped (`www/sw.js` names them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DownloadError {
    /// A file could not be fetched: the network is gone.
    Reseau,
    /// The server answered a file with an error.
    Serveur,
    /// A file is not the one of this build: the site was deployed again meanwhile.
    Version,
    /// The browser refused to store more.
    Place,
}

/// The copy of the site's build on this device, and the room the browser grants the site.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfflineCopy {
    /// Whether the site is an archive (its install left the articles and the index for later).
    pub archive: bool,
    pub files: u64,
    pub stored_files: u64,
    pub bytes: u64,
    pub stored_bytes: u64,
    pub state: DownloadState,
    pub error: Option<DownloadError>,
    /// `navigator.storage.estimate()`, when the browser has it.
    pub quota: Option<f64>,
    pub usage: Option<f64>,
    /// Whether the browser promised not to clear the site's storage when space runs short.
    pub persisted: bool,
}

/// What the reader can do about the copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfflineAction {
    /// Download what is missing (`www/sw.js` skips what it holds, so this also resumes).
    Download,
    Cancel,
}

impl OfflineAction {
    /// The question `www/main.js` passes on to the service worker.
    pub fn question(self) -> &'static str {
        match self {
            OfflineAction::Download => "telecharger",
            OfflineAction::Cancel => "annuler",
        }
    }
}

/// What the page shows about the copy: a sentence, the download's progress, a button, a problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfflinePanel {
    pub text: String,
    /// Bytes stored and in all, while downloading.
    pub progress: Option<(u64, u64)>,
    /// The button's label and what it does; disabled when there is no room for the rest.
    pub action: Option<(String, OfflineAction)>,
    pub disabled: bool,
    /// What went wrong, or stands in the way, in French.
    pub problem: Option<String>,
}

impl OfflineCopy {
    /// What the page shows, if anything: nothing for a site that installs whole.
    pub fn panel(&self) -> Option<OfflinePanel> {
        if !self.archive {
            return None;
        }
        let whole = octets(self.bytes);
        let rest = self.bytes.saturating_sub(self.stored_bytes);
        let complete = self.stored_files >= self.files;
        let mut panel = OfflinePanel {
            text: String::new(),
            progress: None,
            action: None,
            disabled: false,
            problem: None,
        };
        if self.state == DownloadState::Running {
            panel.text = format!(
                "Téléchargement de l’archive pour la lecture hors ligne : {} sur {whole}.",
                octets(self.stored_bytes)
            );
            panel.progress = Some((self.stored_bytes, self.bytes));
            panel.action = Some(("Annuler le téléchargement".into(), OfflineAction::Cancel));
        } else if complete {
            panel.text = format!(
                "L’archive entière est sur cet appareil ({whole}) : elle se lit et se cherche hors ligne."
            );
        } else {
            panel.text = format!(
                "Sur cet appareil : {} de l’archive sur {whole} (ce qui a été lu et cherché reste disponible hors ligne).",
                octets(self.stored_bytes)
            );
            let label = match self.state {
                DownloadState::Cancelled | DownloadState::Failed => {
                    format!("Reprendre le téléchargement (reste {})", octets(rest))
                }
                _ => format!(
                    "Télécharger l’archive pour la lecture hors ligne ({})",
                    octets(rest)
                ),
            };
            panel.action = Some((label, OfflineAction::Download));
            panel.problem = self.stopped();
            if let Some(room) = self.room().filter(|&room| (rest as f64) > room) {
                panel.disabled = true;
                panel.problem = Some(format!(
                    "Il manque de la place sur cet appareil : le reste de l’archive demande {}, et le navigateur n’accorde plus que {} à ce site.",
                    octets(rest),
                    octets(room as u64)
                ));
            }
        }
        if !self.persisted && (self.state == DownloadState::Running || complete) {
            panel.problem.get_or_insert_with(|| {
                "Le navigateur n’a pas promis de garder cette copie : il pourra l’effacer s’il manque de place.".into()
            });
        }
        Some(panel)
    }

    /// The room left to the site, when the browser says.
    fn room(&self) -> Option<f64> {
        Some((self.quota? - self.usage.unwrap_or(0.0)).max(0.0))
    }

    /// Why the last download stopped, if it did not finish.
    fn stopped(&self) -> Option<String> {
        let why = match (self.state, self.error) {
            (DownloadState::Cancelled, _) => {
                "Téléchargement annulé ; ce qui est déjà sur cet appareil y reste."
            }
            (DownloadState::Failed, Some(DownloadError::Version)) => {
                "L’archive a changé sur le serveur depuis l’ouverture de cette page : rechargez-la pour télécharger la nouvelle version."
            }
            (DownloadState::Failed, Some(DownloadError::Serveur)) => {
                "Le serveur a refusé un fichier de l’archive ; réessayez plus tard."
            }
            (DownloadState::Failed, Some(DownloadError::Place)) => {
                "Le navigateur a refusé d’enregistrer davantage : libérez de la place, puis reprenez."
            }
            (DownloadState::Failed, _) => {
                "Le téléchargement s’est interrompu : le réseau ne répond pas. Reprenez-le une fois en ligne."
            }
            _ => return None,
        };
        Some(why.into())
    }
}

/// A size in French: "850 octets", "12 Ko", "4,2 Mo", "38 Mo", "1,5 Go" (decimal units, one
/// decimal below ten, a non-breaking space before the unit).
pub fn octets(bytes: u64) -> String {
    const UNITS: [(f64, &str); 3] = [(1e9, "Go"), (1e6, "Mo"), (1e3, "Ko")];
    let Some(&(size, unit)) = UNITS.iter().find(|(size, _)| bytes as f64 >= *size) else {
        return format!("{bytes}\u{a0}octets");
    };
    let value = bytes as f64 / size;
    let number = if value < 9.95 {
        format!("{value:.1}").replace('.', ",")
    } else {
        format!("{value:.0}")
    };
    format!("{number}\u{a0}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy(stored_bytes: u64, state: DownloadState) -> OfflineCopy {
        OfflineCopy {
            archive: true,
            files: 100,
            stored_files: if stored_bytes >= 38_000_000 { 100 } else { 10 },
            bytes: 38_000_000,
            stored_bytes,
            state,
            error: None,
            quota: Some(1e9),
            usage: Some(1e6),
            persisted: true,
        }
    }

    #[test]
    fn sizes_read_as_french() {
        assert_eq!(octets(850), "850\u{a0}octets");
        assert_eq!(octets(12_300), "12\u{a0}Ko");
        assert_eq!(octets(4_230_000), "4,2\u{a0}Mo");
        assert_eq!(octets(9_990_000), "10\u{a0}Mo");
        assert_eq!(octets(38_000_000), "38\u{a0}Mo");
        assert_eq!(octets(1_500_000_000), "1,5\u{a0}Go");
    }

    #[test]
    fn a_site_that_installs_whole_says_nothing() {
        let whole = OfflineCopy {
            archive: false,
            ..copy(0, DownloadState::Idle)
        };
        assert_eq!(whole.panel(), None);
    }

    #[test]
    fn an_archive_offers_its_rest_then_shows_the_download_then_says_it_is_whole() {
        let offer = copy(1_200_000, DownloadState::Idle).panel().unwrap();
        assert!(
            offer
                .text
                .contains("1,2\u{a0}Mo de l’archive sur 38\u{a0}Mo"),
            "{}",
            offer.text
        );
        assert_eq!(
            offer.action,
            Some((
                "Télécharger l’archive pour la lecture hors ligne (37\u{a0}Mo)".into(),
                OfflineAction::Download
            ))
        );
        assert!(!offer.disabled && offer.problem.is_none() && offer.progress.is_none());

        let running = copy(4_200_000, DownloadState::Running).panel().unwrap();
        assert_eq!(running.progress, Some((4_200_000, 38_000_000)));
        assert_eq!(running.action.unwrap().1, OfflineAction::Cancel);
        assert!(
            running.text.contains("4,2\u{a0}Mo sur 38\u{a0}Mo"),
            "{}",
            running.text
        );

        let done = copy(38_000_000, DownloadState::Done).panel().unwrap();
        assert!(
            done.text
                .starts_with("L’archive entière est sur cet appareil")
        );
        assert_eq!(done.action, None);
        assert_eq!(done.problem, None);
    }

    #[test]
    fn a_stopped_download_says_why_and_offers_to_resume() {
        let cancelled = copy(4_200_000, DownloadState::Cancelled).panel().unwrap();
        let (label, action) = cancelled.action.unwrap();
        assert_eq!(label, "Reprendre le téléchargement (reste 34\u{a0}Mo)");
        assert_eq!(action, OfflineAction::Download);
        assert!(
            cancelled
                .problem
                .unwrap()
                .starts_with("Téléchargement annulé")
        );

        for (error, words) in [
            (None, "le réseau ne répond pas"),
            (Some(DownloadError::Reseau), "le réseau ne répond pas"),
            (Some(DownloadError::Version), "rechargez-la"),
            (Some(DownloadError::Serveur), "Le serveur a refusé"),
            (Some(DownloadError::Place), "libérez de la place"),
        ] {
            let failed = OfflineCopy {
                error,
                ..copy(4_200_000, DownloadState::Failed)
            };
            let problem = failed.panel().unwrap().problem.unwrap();
            assert!(problem.contains(words), "{error:?}: {problem}");
        }
    }

    #[test]
    fn without_room_for_the_rest_the_download_is_not_offered() {
        let cramped = OfflineCopy {
            quota: Some(20_000_000.0),
            usage: Some(8_000_000.0),
            ..copy(1_200_000, DownloadState::Idle)
        };
        let panel = cramped.panel().unwrap();
        assert!(panel.disabled);
        assert_eq!(
            panel.problem.unwrap(),
            "Il manque de la place sur cet appareil : le reste de l’archive demande 37\u{a0}Mo, et le navigateur n’accorde plus que 12\u{a0}Mo à ce site."
        );
        // A browser that does not say leaves the download to find out.
        let unknown = OfflineCopy {
            quota: None,
            usage: None,
            ..cramped
        };
        assert!(!unknown.panel().unwrap().disabled);
    }

    #[test]
    fn a_copy_the_browser_may_clear_is_said_so() {
        let unpersisted = OfflineCopy {
            persisted: false,
            ..copy(38_000_000, DownloadState::Done)
        };
        assert!(
            unpersisted
                .panel()
                .unwrap()
                .problem
                .unwrap()
                .contains("pourra l’effacer")
        );
        // Before any download, nothing is promised nor asked yet.
        let before = OfflineCopy {
            persisted: false,
            ..copy(1_200_000, DownloadState::Idle)
        };
        assert_eq!(before.panel().unwrap().problem, None);
    }

    #[test]
    fn the_service_workers_report_reads_as_a_copy() {
        let report = serde_json::json!({
            "archive": true, "files": 52, "storedFiles": 7, "bytes": 1_800_000,
            "storedBytes": 300_000, "state": "failed", "error": "version",
            "quota": 2.5e9, "usage": 4.0e5, "persisted": false
        });
        let copy: OfflineCopy = serde_json::from_value(report).unwrap();
        assert_eq!(copy.state, DownloadState::Failed);
        assert_eq!(copy.error, Some(DownloadError::Version));
        assert_eq!(copy.quota, Some(2.5e9));
    }
}
