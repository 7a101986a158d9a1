//! The report of `cargo xtask scale`: a Markdown table (printed, and `results.md`), the figures
//! as JSON (`results.json`) and a log-log plot of them against the number of articles
//! (`scale.svg`).

use std::fmt::Write as _;

use anyhow::Result;
use serde::Serialize;

use super::Options;
use super::measure::Row;

fn mib(bytes: u64) -> String {
    format!("{:.2} MiB", bytes as f64 / 1_048_576.0)
}

fn kib_as_mib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "—".to_string(),
        |kib| format!("{:.0} MiB", kib as f64 / 1024.0),
    )
}

pub fn table_line(row: &Row) -> String {
    let browser = row.browser.as_ref().map_or_else(
        || "— | —".to_string(),
        |b| format!("{:.0} ms | {:.1} ms", b.load_ms, b.query_ms),
    );
    format!(
        "| {} | {} | {} | {} | {:.1} s | {} | {} / {}{} / {} | {:.0}% | {:.0} ms | {} | {:.2} ms | {:.2} ms | {} |",
        row.corpus.articles,
        mib(row.corpus.bytes),
        row.corpus.distinct_words,
        row.corpus.words,
        row.build_seconds,
        kib_as_mib(row.peak_rss_kib),
        mib(row.index_bytes),
        mib(row.index_br),
        if row.br_quality == 11 { "" } else { " (q9)" },
        mib(row.index_gz),
        100.0 * row.header_bytes as f64 / row.index_bytes.max(1) as f64,
        row.open_ms,
        kib_as_mib(row.rss_after_open_kib),
        row.query_median_ms,
        row.query_p95_ms,
        browser
    )
}

pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| articles | articles size | distinct words | words | index build | build peak memory \
         | index raw / brotli / gzip | share of the articles' JSON | native open | memory after open | native query median \
         | native query p95 | browser load | browser query |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for row in rows {
        out.push_str(&table_line(row));
        out.push('\n');
    }
    out
}

/// `results.json`.
#[derive(Serialize)]
struct Results {
    seed: u64,
    runs: usize,
    rows: Vec<Figures>,
}

/// One size's figures, under the names `results.json` has always used, rounded as measured.
#[derive(Serialize)]
struct Figures {
    articles: usize,
    articles_bytes: u64,
    words: u64,
    distinct_words: usize,
    build_seconds: f64,
    build_peak_rss_kib: Option<u64>,
    index_bytes: u64,
    header_bytes: u64,
    index_brotli_bytes: u64,
    brotli_quality: u32,
    index_gzip_bytes: u64,
    read_ms: f64,
    open_ms: f64,
    rss_after_open_kib: Option<u64>,
    query_median_ms: f64,
    query_p95_ms: f64,
    browser: Option<BrowserFigures>,
}

#[derive(Serialize)]
struct BrowserFigures {
    load_median_ms: f64,
    query_median_ms: f64,
}

/// The figures of every size as JSON.
pub fn json(options: &Options, rows: &[Row]) -> Result<String> {
    let rows = rows
        .iter()
        .map(|row| Figures {
            articles: row.corpus.articles,
            articles_bytes: row.corpus.bytes,
            words: row.corpus.words,
            distinct_words: row.corpus.distinct_words,
            build_seconds: rounded(row.build_seconds, 3),
            build_peak_rss_kib: row.peak_rss_kib,
            index_bytes: row.index_bytes,
            header_bytes: row.header_bytes,
            index_brotli_bytes: row.index_br,
            brotli_quality: row.br_quality,
            index_gzip_bytes: row.index_gz,
            read_ms: rounded(row.read_ms, 3),
            open_ms: rounded(row.open_ms, 3),
            rss_after_open_kib: row.rss_after_open_kib,
            query_median_ms: rounded(row.query_median_ms, 3),
            query_p95_ms: rounded(row.query_p95_ms, 3),
            browser: row.browser.as_ref().map(|b| BrowserFigures {
                load_median_ms: rounded(b.load_ms, 1),
                query_median_ms: rounded(b.query_ms, 2),
            }),
        })
        .collect();
    let results = Results {
        seed: options.seed,
        runs: options.runs,
        rows,
    };
    Ok(serde_json::to_string_pretty(&results)? + "\n")
}

/// `value` to `decimals` places: the timers' last digits are noise.
fn rounded(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// A plotted line: its legend, its colour and its (articles, value) points.
type Series = (&'static str, &'static str, Vec<(f64, f64)>);

/// A log-log plot of every series against the number of articles, one line each.
pub fn svg(rows: &[Row]) -> String {
    let mut series: Vec<Series> = vec![
        ("index, raw (MiB)", "#1f77b4", Vec::new()),
        ("index, brotli (MiB)", "#17becf", Vec::new()),
        ("build time (s)", "#d62728", Vec::new()),
        ("build peak memory (MiB)", "#9467bd", Vec::new()),
        ("native open (ms)", "#ff7f0e", Vec::new()),
        ("native query median (ms)", "#2ca02c", Vec::new()),
        ("browser cold load (ms)", "#8c564b", Vec::new()),
        ("browser query (ms)", "#e377c2", Vec::new()),
    ];
    for row in rows {
        let n = row.corpus.articles as f64;
        let mut values = vec![
            Some(row.index_bytes as f64 / 1_048_576.0),
            Some(row.index_br as f64 / 1_048_576.0),
            Some(row.build_seconds),
            row.peak_rss_kib.map(|kib| kib as f64 / 1024.0),
            Some(row.open_ms),
            Some(row.query_median_ms),
        ];
        values.extend(match &row.browser {
            Some(b) => [Some(b.load_ms), Some(b.query_ms)],
            None => [None, None],
        });
        for (serie, value) in series.iter_mut().zip(values) {
            if let Some(v) = value.filter(|v| *v > 0.0) {
                serie.2.push((n, v));
            }
        }
    }
    series.retain(|s| !s.2.is_empty());
    let points = series.iter().flat_map(|s| s.2.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in points {
        x0 = x0.min(x.log10());
        x1 = x1.max(x.log10());
        y0 = y0.min(y.log10());
        y1 = y1.max(y.log10());
    }
    if series.is_empty() {
        (x0, x1, y0, y1) = (2.0, 4.0, 0.0, 1.0);
    }
    let (x0, x1, y0, y1) = (
        x0.floor(),
        x1.ceil().max(x0.floor() + 1.0),
        y0.floor(),
        y1.ceil().max(y0.floor() + 1.0),
    );
    let (left, top, width, height) = (70.0, 30.0, 520.0, 380.0);
    let px = |x: f64| left + (x.log10() - x0) / (x1 - x0) * width;
    let py = |y: f64| top + height - (y.log10() - y0) / (y1 - y0) * height;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"470\" \
         font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"900\" height=\"470\" fill=\"white\"/>\n\
         <text x=\"{}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">Lecteur: growth with the \
         corpus (log-log)</text>\n",
        left + width / 2.0
    );
    for decade in x0 as i32..=x1 as i32 {
        let x = px(10f64.powi(decade));
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#ddd\"/>\
             <text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            top + height,
            top + height + 16.0,
            thousands(10f64.powi(decade) as u64)
        );
    }
    for decade in y0 as i32..=y1 as i32 {
        let y = py(10f64.powi(decade));
        let label = if decade < 0 {
            format!("{}", 10f64.powi(decade))
        } else {
            thousands(10f64.powi(decade) as u64)
        };
        let _ = writeln!(
            out,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>",
            left + width,
            left - 6.0,
            y + 4.0
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">articles</text>",
        left + width / 2.0,
        top + height + 34.0
    );
    for (k, (name, color, points)) in series.iter().enumerate() {
        let path: Vec<String> = points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
            .collect();
        let _ = writeln!(
            out,
            "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{}\"/>",
            path.join(" ")
        );
        for &(x, y) in points {
            let _ = writeln!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{color}\"/>",
                px(x),
                py(y)
            );
        }
        let ly = top + 10.0 + k as f64 * 20.0;
        let lx = left + width + 20.0;
        let _ = writeln!(
            out,
            "<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke=\"{color}\" \
             stroke-width=\"2\"/><text x=\"{}\" y=\"{}\">{name}</text>",
            lx + 20.0,
            lx + 26.0,
            ly + 4.0
        );
    }
    out.push_str("</svg>\n");
    out
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::generate::Corpus;
    use super::super::measure::Browser;
    use super::*;

    #[test]
    fn writes_the_figures() {
        let row = Row {
            corpus: Corpus {
                articles: 100,
                bytes: 2_000_000,
                words: 300_000,
                distinct_words: 9_000,
            },
            build_seconds: 1.234_567,
            peak_rss_kib: None,
            index_bytes: 3 << 20,
            br_quality: 11,
            browser: Some(Browser {
                load_ms: 812.345,
                query_ms: 4.567,
            }),
            ..Row::default()
        };
        let json: serde_json::Value =
            serde_json::from_str(&json(&Options::default(), std::slice::from_ref(&row)).unwrap())
                .unwrap();
        let figures = &json["rows"][0];
        assert_eq!(json["seed"], super::super::DEFAULT_SEED);
        assert_eq!(figures["articles"], 100);
        assert_eq!(figures["build_seconds"], 1.235);
        assert_eq!(figures["build_peak_rss_kib"], serde_json::Value::Null);
        assert_eq!(figures["browser"]["load_median_ms"], 812.3);
        assert_eq!(figures["browser"]["query_median_ms"], 4.57);
        let line = table_line(&row);
        assert!(
            line.starts_with("| 100 | 1.91 MiB | 9000 | 300000 | 1.2 s | — | 3.00 MiB"),
            "{line}"
        );
        assert!(line.ends_with("| 812 ms | 4.6 ms |"), "{line}");
        assert!(svg(&[row]).contains("<polyline"));
        assert_eq!(thousands(10000), "10,000");
    }
}
