//! The article model and its source format: Markdown with a front matter.
//!
//! ```text
//! ---
//! slug: popcorn-time-n-est-pas-legal
//! title: Non, Popcorn Time n'est pas légal (et la Hadopi veille)
//! source: Metronews (TF1 Info)
//! date: 2014-12-22 10:47
//! language: fr
//! original: 003_440b345a6ecca467.txt
//! ---
//!
//! A paragraph, on one or more lines.
//!
//! ## A sub-heading
//! ```
//!
//! The format is deliberately small so that a person can edit it and a parser
//! can reject every mistake with the line to fix: `index/README.md` documents it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One article, as the indexer reads it and the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Stable, readable identifier used in addresses (`./a/SLUG/`).
    pub slug: String,
    pub title: String,
    /// How the title was chosen, when the text itself has none.
    pub title_origin: Option<String>,
    /// The publication, when the text names it.
    pub source: Option<String>,
    /// The publication date, when the text gives it.
    pub date: Option<ArticleDate>,
    /// BCP 47 language tag; only `fr` is analysed today.
    pub language: String,
    /// Name of the file the article was cleaned from.
    pub original: Option<String>,
    pub blocks: Vec<Block>,
}

/// The name of an article's text in its folder of the site (`a/SLUG/`), when the index holds
/// the articles without their texts (an archive): see [`text_path`].
pub const TEXT_FILE: &str = "texte.json";

/// Where the text of the article `slug` is, relative to the site's root: beside its page.
pub fn text_path(slug: &str) -> String {
    format!("a/{slug}/{TEXT_FILE}")
}

/// A unit of the article body: what a reading view lays out and a link can target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "text", rename_all = "lowercase")]
pub enum Block {
    Heading(String),
    Paragraph(String),
}

impl Block {
    pub fn text(&self) -> &str {
        match self {
            Block::Heading(text) | Block::Paragraph(text) => text,
        }
    }
}

impl Article {
    /// Parses one article source. Errors carry the line to fix, when there is one.
    pub fn parse(source: &str) -> Result<Article, ArticleError> {
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        let mut lines = source.lines().enumerate().map(|(i, line)| (i + 1, line));
        match lines.next() {
            Some((_, line)) if line.trim_end() == FENCE => {}
            _ => return Err(ArticleError::at(1, Problem::MissingFrontMatter)),
        }
        let mut fields = FrontMatter::default();
        let mut closed = false;
        for (number, line) in lines.by_ref() {
            if line.trim_end() == FENCE {
                closed = true;
                break;
            }
            if line.trim().is_empty() {
                continue;
            }
            fields
                .set(line)
                .map_err(|problem| ArticleError::at(number, problem))?;
        }
        if !closed {
            return Err(ArticleError::whole(Problem::UnclosedFrontMatter));
        }
        let blocks = parse_body(lines)?;
        fields.into_article(blocks)
    }

    /// The article without its text (no blocks), as an archive's index holds it; the text
    /// is not copied.
    pub fn head(&self) -> Article {
        Article {
            slug: self.slug.clone(),
            title: self.title.clone(),
            title_origin: self.title_origin.clone(),
            source: self.source.clone(),
            date: self.date,
            language: self.language.clone(),
            original: self.original.clone(),
            blocks: Vec::new(),
        }
    }

    /// The body as plain text, blocks separated by blank lines.
    pub fn body_text(&self) -> String {
        let texts: Vec<&str> = self.blocks.iter().map(Block::text).collect();
        texts.join("\n\n")
    }

    /// The opening of the first paragraph, cut at a word boundary, for lists.
    pub fn excerpt(&self, max_chars: usize) -> String {
        let first = self
            .blocks
            .iter()
            .find_map(|block| match block {
                Block::Paragraph(text) => Some(text.as_str()),
                Block::Heading(_) => None,
            })
            .unwrap_or_default();
        shorten(first, max_chars)
    }
}

/// Cuts `text` to at most `max_chars` characters at a word boundary, adding "…".
pub fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(index, _)| index);
    let head = &text[..cut];
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if space > 0 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ', '\u{a0}']))
}

const FENCE: &str = "---";

/// Field names accepted in the front matter, in the order the docs list them.
pub const FIELDS: [&str; 7] = [
    "slug",
    "title",
    "title_origin",
    "source",
    "date",
    "language",
    "original",
];

#[derive(Default)]
struct FrontMatter {
    values: [Option<String>; FIELDS.len()],
}

impl FrontMatter {
    fn set(&mut self, line: &str) -> Result<(), Problem> {
        let Some((name, value)) = line.split_once(':') else {
            return Err(Problem::NotAField(line.trim().to_string()));
        };
        let name = name.trim();
        let value = value.trim();
        let Some(slot) = FIELDS.iter().position(|field| *field == name) else {
            return Err(Problem::UnknownField(name.to_string()));
        };
        if value.is_empty() {
            return Err(Problem::EmptyField(FIELDS[slot]));
        }
        match FIELDS[slot] {
            "slug" if !is_slug(value) => return Err(Problem::BadSlug(value.to_string())),
            "date" if value.parse::<ArticleDate>().is_err() => {
                return Err(Problem::BadDate(value.to_string()));
            }
            "language" if value != "fr" => return Err(Problem::Language(value.to_string())),
            _ => {}
        }
        if self.values[slot].replace(value.to_string()).is_some() {
            return Err(Problem::DuplicateField(FIELDS[slot]));
        }
        Ok(())
    }

    fn take(&mut self, name: &str) -> Option<String> {
        let slot = FIELDS.iter().position(|field| *field == name)?;
        self.values[slot].take()
    }

    fn into_article(mut self, blocks: Vec<Block>) -> Result<Article, ArticleError> {
        let mut required = |name: &'static str| {
            self.take(name)
                .ok_or(ArticleError::whole(Problem::MissingField(name)))
        };
        let slug = required("slug")?;
        let title = required("title")?;
        let language = required("language")?;
        Ok(Article {
            slug,
            title,
            language,
            title_origin: self.take("title_origin"),
            source: self.take("source"),
            date: self
                .take("date")
                .map(|date| date.parse().expect("checked in set")),
            original: self.take("original"),
            blocks,
        })
    }
}

fn parse_body<'a>(
    lines: impl Iterator<Item = (usize, &'a str)>,
) -> Result<Vec<Block>, ArticleError> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(paragraph.join(" ")));
            paragraph.clear();
        }
    };
    for (number, line) in lines {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut paragraph, &mut blocks);
            continue;
        }
        match line_kind(line) {
            LineKind::Text(text) => paragraph.push(text),
            LineKind::Heading(text) => {
                flush(&mut paragraph, &mut blocks);
                blocks.push(Block::Heading(text.to_string()));
            }
            LineKind::Title => return Err(ArticleError::at(number, Problem::TitleInBody)),
            LineKind::EmptyHeading => return Err(ArticleError::at(number, Problem::EmptyHeading)),
        }
    }
    flush(&mut paragraph, &mut blocks);
    if !blocks
        .iter()
        .any(|block| matches!(block, Block::Paragraph(_)))
    {
        return Err(ArticleError::whole(Problem::EmptyBody));
    }
    Ok(blocks)
}

/// What a line of the body is.
#[derive(Debug, PartialEq, Eq)]
enum LineKind<'a> {
    Text(&'a str),
    Heading(&'a str),
    /// `# text`: a title, which the front matter holds.
    Title,
    /// `##` with no text.
    EmptyHeading,
}

/// `## text` (two or more `#`, then a space) is a heading and `# text` a title, as in
/// Markdown; `#` followed by anything else (`#MeToo`, `##x`) is text, and so is a line that
/// starts with `\#`, without its backslash (`\## …` is a paragraph starting with `## `).
fn line_kind(line: &str) -> LineKind<'_> {
    if let Some(text) = line.strip_prefix('\\').filter(|rest| rest.starts_with('#')) {
        return LineKind::Text(text);
    }
    let hashes = line.bytes().take_while(|&byte| byte == b'#').count();
    let rest = &line[hashes..];
    if hashes == 0 || !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return LineKind::Text(line);
    }
    match (hashes, rest.trim()) {
        (1, _) => LineKind::Title,
        (_, "") => LineKind::EmptyHeading,
        (_, text) => LineKind::Heading(text),
    }
}

/// A slug is lowercase ASCII letters and digits in words joined by single hyphens.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A publication date, with the time of day when the text gives one. No time
/// zone: the sources do not state one, and none is invented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ArticleDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub time: Option<(u8, u8)>,
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

impl ArticleDate {
    /// The date as a French reader writes it: "22 décembre 2014 à 10 h 47".
    pub fn french(&self) -> String {
        let day = if self.day == 1 {
            "1er".to_string()
        } else {
            self.day.to_string()
        };
        let mut text = format!(
            "{day} {} {}",
            MONTHS[usize::from(self.month - 1)],
            self.year
        );
        if let Some((hour, minute)) = self.time {
            text.push_str(&format!(" à {hour}\u{a0}h\u{a0}{minute:02}"));
        }
        text
    }

    /// The date for `<time datetime>`: `2014-12-22` or `2014-12-22T10:47`.
    pub fn machine(&self) -> String {
        let date = format!("{:04}-{:02}-{:02}", self.year, self.month, self.day);
        match self.time {
            Some((hour, minute)) => format!("{date}T{hour:02}:{minute:02}"),
            None => date,
        }
    }
}

impl FromStr for ArticleDate {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid =
            || format!("`{text}` is not a date of the form YYYY-MM-DD or YYYY-MM-DD HH:MM");
        let (date, time) = match text.split_once([' ', 'T']) {
            Some((date, time)) => (date, Some(time)),
            None => (text, None),
        };
        let number = |part: &str, digits: usize| -> Result<u16, String> {
            if part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().map_err(|_| invalid())
            } else {
                Err(invalid())
            }
        };
        let mut parts = date.split('-');
        let (Some(year), Some(month), Some(day), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let (year, month, day) = (number(year, 4)?, number(month, 2)?, number(day, 2)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(invalid()),
        };
        if day == 0 || day > days_in_month {
            return Err(invalid());
        }
        let time = match time {
            None => None,
            Some(time) => {
                let (hour, minute) = time.split_once(':').ok_or_else(invalid)?;
                let (hour, minute) = (number(hour, 2)?, number(minute, 2)?);
                if hour > 23 || minute > 59 {
                    return Err(invalid());
                }
                Some((hour as u8, minute as u8))
            }
        };
        Ok(ArticleDate {
            year,
            month: month as u8,
            day: day as u8,
            time,
        })
    }
}

impl fmt::Display for ArticleDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        if let Some((hour, minute)) = self.time {
            write!(f, " {hour:02}:{minute:02}")?;
        }
        Ok(())
    }
}

impl TryFrom<String> for ArticleDate {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<ArticleDate> for String {
    fn from(date: ArticleDate) -> String {
        date.to_string()
    }
}

/// What is wrong with an article source, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{problem}", line.map(|line| format!("line {line}: ")).unwrap_or_default())]
pub struct ArticleError {
    pub line: Option<usize>,
    pub problem: Problem,
}

impl ArticleError {
    fn at(line: usize, problem: Problem) -> Self {
        ArticleError {
            line: Some(line),
            problem,
        }
    }

    fn whole(problem: Problem) -> Self {
        ArticleError {
            line: None,
            problem,
        }
    }
}

/// Each way an article source can be wrong, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("the file must start with a front matter: a line `---`, `key: value` lines, and `---`")]
    MissingFrontMatter,
    #[error("the front matter is not closed: add a line `---` after its last field")]
    UnclosedFrontMatter,
    #[error("`{0}` is not a `key: value` field; front matter lines look like `title: Le titre`")]
    NotAField(String),
    #[error("unknown field `{0}`; the fields are: {fields}", fields = FIELDS.join(", "))]
    UnknownField(String),
    #[error("field `{0}` appears twice; keep one")]
    DuplicateField(&'static str),
    #[error("field `{0}` is empty; give it a value or remove the line")]
    EmptyField(&'static str),
    #[error("missing field `{0}`; add a line `{0}: …` to the front matter")]
    MissingField(&'static str),
    #[error(
        "slug `{0}` must be lowercase ASCII letters and digits joined by single hyphens, like `popcorn-time-hadopi`"
    )]
    BadSlug(String),
    #[error("date `{0}` must be a real date written YYYY-MM-DD or YYYY-MM-DD HH:MM")]
    BadDate(String),
    #[error(
        "language `{0}` is not supported; the reader analyses French articles only (`language: fr`)"
    )]
    Language(String),
    #[error(
        "a `# ` heading is a title; put the title in the front matter and use `## ` for sub-headings"
    )]
    TitleInBody,
    #[error(
        "a heading line has no text; write the heading after the `## `, or `\\##` to start a paragraph with `##`"
    )]
    EmptyHeading,
    #[error("the article has no paragraph; write its text after the front matter")]
    EmptyBody,
}

/// A problem with one file of an article folder.
#[derive(Debug, thiserror::Error)]
#[error("{}: {error}", path.display())]
pub struct FileError {
    pub path: PathBuf,
    pub error: FileProblem,
}

#[derive(Debug, thiserror::Error)]
pub enum FileProblem {
    #[error("cannot read the file ({0}); check that it exists and is UTF-8 text")]
    Read(std::io::Error),
    #[error(transparent)]
    Article(#[from] ArticleError),
    #[error("slug `{slug}` is already used by {}; give one of them another slug", first.display())]
    DuplicateSlug { slug: String, first: PathBuf },
}

/// Why an article folder could not be loaded: every bad file, not just the first.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read the article folder {} ({error}); pass the folder that holds the `.md` articles", path.display())]
    Folder {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("no `.md` article in {}; add at least one (see index/README.md)", .0.display())]
    Empty(PathBuf),
    #[error("{} article file(s) need fixing:\n{}", .0.len(), list(.0))]
    Files(Vec<FileError>),
}

fn list(errors: &[FileError]) -> String {
    let lines: Vec<String> = errors.iter().map(|error| format!("  {error}")).collect();
    lines.join("\n")
}

/// The article sources of a folder: its `*.md` files, in file name order.
pub fn sources(folder: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let entries = std::fs::read_dir(folder).map_err(|error| LoadError::Folder {
        path: folder.to_path_buf(),
        error,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md") && path.is_file())
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(LoadError::Empty(folder.to_path_buf()));
    }
    Ok(paths)
}

/// Reads every article source of a folder ([`sources`]), in file name order.
pub fn load_folder(folder: &Path) -> Result<Vec<Article>, LoadError> {
    let mut articles: Vec<Article> = Vec::new();
    // Each slug's first file, to name both files of a duplicate.
    let mut first_of: std::collections::HashMap<String, PathBuf> = std::collections::HashMap::new();
    let mut errors = Vec::new();
    for path in sources(folder)? {
        let parsed = std::fs::read_to_string(&path)
            .map_err(FileProblem::Read)
            .and_then(|text| Ok(Article::parse(&text)?));
        match parsed {
            Ok(article) => {
                if let Some(first) = first_of.get(&article.slug) {
                    let error = FileProblem::DuplicateSlug {
                        slug: article.slug,
                        first: first.clone(),
                    };
                    errors.push(FileError { path, error });
                } else {
                    first_of.insert(article.slug.clone(), path);
                    articles.push(article);
                }
            }
            Err(error) => errors.push(FileError { path, error }),
        }
    }
    if errors.is_empty() {
        Ok(articles)
    } else {
        Err(LoadError::Files(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\nslug: un-article\ntitle: Un titre\nsource: Numerama\ndate: 2014-12-22 10:47\nlanguage: fr\n---\n\nPremier paragraphe\nsur deux lignes.\n\n## Un intertitre\n\nSecond paragraphe.\n";

    fn problem(source: &str) -> ArticleError {
        Article::parse(source).expect_err("the source is malformed")
    }

    #[test]
    fn a_good_source_gives_fields_and_blocks() {
        let article = Article::parse(GOOD).unwrap();
        assert_eq!(article.slug, "un-article");
        assert_eq!(article.title, "Un titre");
        assert_eq!(article.source.as_deref(), Some("Numerama"));
        assert_eq!(article.title_origin, None);
        assert_eq!(
            article.date.unwrap().french(),
            "22 décembre 2014 à 10\u{a0}h\u{a0}47"
        );
        assert_eq!(
            article.blocks,
            [
                Block::Paragraph("Premier paragraphe sur deux lignes.".into()),
                Block::Heading("Un intertitre".into()),
                Block::Paragraph("Second paragraphe.".into()),
            ]
        );
    }

    #[test]
    fn windows_line_endings_and_a_byte_order_mark_are_accepted() {
        let crlf = format!("\u{feff}{}", GOOD.replace('\n', "\r\n"));
        assert_eq!(
            Article::parse(&crlf).unwrap(),
            Article::parse(GOOD).unwrap()
        );
    }

    #[test]
    fn each_kind_of_bad_source_names_its_problem_and_line() {
        let cases: [(&str, Option<usize>, Problem); 13] = [
            (
                "Pas de front matter.\n",
                Some(1),
                Problem::MissingFrontMatter,
            ),
            (
                "---\nslug: a\ntitle: T\n",
                None,
                Problem::UnclosedFrontMatter,
            ),
            (
                "---\nslug: a\ntitle T\n---\n",
                Some(3),
                Problem::NotAField("title T".into()),
            ),
            (
                "---\nslug: a\nauthor: X\n---\n",
                Some(3),
                Problem::UnknownField("author".into()),
            ),
            (
                "---\nslug: a\nslug: b\n---\n",
                Some(3),
                Problem::DuplicateField("slug"),
            ),
            (
                "---\nslug: a\ntitle:\n---\n",
                Some(3),
                Problem::EmptyField("title"),
            ),
            (
                "---\nslug: a\nlanguage: fr\n---\n\nTexte.\n",
                None,
                Problem::MissingField("title"),
            ),
            (
                "---\nslug: Mon Article\n---\n",
                Some(2),
                Problem::BadSlug("Mon Article".into()),
            ),
            (
                "---\ndate: 2014-02-30\n---\n",
                Some(2),
                Problem::BadDate("2014-02-30".into()),
            ),
            (
                "---\nlanguage: en\n---\n",
                Some(2),
                Problem::Language("en".into()),
            ),
            (
                "---\nslug: a\ntitle: T\nlanguage: fr\n---\n\n# Titre\n",
                Some(7),
                Problem::TitleInBody,
            ),
            (
                "---\nslug: a\ntitle: T\nlanguage: fr\n---\n\n## Seul\n",
                None,
                Problem::EmptyBody,
            ),
            (
                "---\nslug: a\ntitle: T\nlanguage: fr\n---\n\nTexte.\n\n##\n",
                Some(9),
                Problem::EmptyHeading,
            ),
        ];
        for (source, line, expected) in cases {
            let error = problem(source);
            assert_eq!(
                (error.line, &error.problem),
                (line, &expected),
                "{source:?}"
            );
        }
    }

    #[test]
    fn error_messages_say_what_to_do() {
        let message = problem("---\nslug: a\nauthor: X\n---\n").to_string();
        assert!(
            message.starts_with("line 3: unknown field `author`"),
            "{message}"
        );
        assert!(message.contains("title_origin"), "{message}");
    }

    #[test]
    fn headings_need_a_space_and_a_paragraph_may_start_with_a_hash() {
        let body = |text: &str| {
            Article::parse(&format!(
                "---\nslug: a\ntitle: T\nlanguage: fr\n---\n\n{text}\n"
            ))
            .map(|article| article.blocks)
        };
        assert_eq!(
            body(
                "#MeToo est né en 2017.\n\n##x reste du texte.\n\n\\## Pas un intertitre.\n\n##\tUn intertitre\n\nFin."
            ),
            Ok(vec![
                Block::Paragraph("#MeToo est né en 2017.".into()),
                Block::Paragraph("##x reste du texte.".into()),
                Block::Paragraph("## Pas un intertitre.".into()),
                Block::Heading("Un intertitre".into()),
                Block::Paragraph("Fin.".into()),
            ])
        );
        assert_eq!(
            body("Un paragraphe\n#hashtag au début d’une ligne."),
            Ok(vec![Block::Paragraph(
                "Un paragraphe #hashtag au début d’une ligne.".into()
            )])
        );
        assert_eq!(
            body("Texte.\n\n# Titre").unwrap_err().problem,
            Problem::TitleInBody
        );
        assert_eq!(
            body("Texte.\n\n#").unwrap_err().problem,
            Problem::TitleInBody
        );
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_single_hyphens() {
        for good in ["a", "popcorn-time", "350-000-utilisateurs"] {
            assert!(is_slug(good), "{good}");
        }
        for bad in ["", "-a", "a-", "a--b", "Popcorn", "é", "a b", "a/b"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn dates_round_trip_and_impossible_dates_are_refused() {
        for text in ["2014-12-22", "2014-12-22 10:47", "2016-02-29"] {
            assert_eq!(text.parse::<ArticleDate>().unwrap().to_string(), text);
        }
        for bad in [
            "2014-13-01",
            "2015-02-29",
            "22/12/2014",
            "2014-12-22 24:00",
            "2014-1-2",
        ] {
            assert!(bad.parse::<ArticleDate>().is_err(), "{bad}");
        }
        let first = "2014-09-01".parse::<ArticleDate>().unwrap();
        assert_eq!(first.french(), "1er septembre 2014");
        assert_eq!(first.machine(), "2014-09-01");
    }

    #[test]
    fn excerpts_stop_at_a_word_boundary() {
        assert_eq!(shorten("Popcorn Time rassemble déjà", 15), "Popcorn Time…");
        assert_eq!(shorten("court", 15), "court");
    }

    #[test]
    fn a_folder_with_bad_files_reports_every_one_and_duplicate_slugs() {
        let folder = std::env::temp_dir().join(format!("lecteur-articles-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("a.md"), GOOD).unwrap();
        std::fs::write(folder.join("b.md"), GOOD).unwrap();
        std::fs::write(folder.join("c.md"), "sans front matter").unwrap();
        std::fs::write(folder.join("notes.txt"), "ignored").unwrap();
        let error = load_folder(&folder).unwrap_err();
        std::fs::remove_dir_all(&folder).unwrap();
        let LoadError::Files(files) = &error else {
            panic!("{error}")
        };
        assert_eq!(files.len(), 2, "{error}");
        assert!(matches!(files[0].error, FileProblem::DuplicateSlug { .. }));
        assert!(files[0].path.ends_with("b.md"));
        assert!(files[1].path.ends_with("c.md"));
        assert!(
            error
                .to_string()
                .contains("c.md: line 1: the file must start"),
            "{error}"
        );
    }
}
