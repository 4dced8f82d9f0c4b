//! The report pages in a real headless Chromium (Debian's `chromium` and `chromium-driver`,
//! which `.ci/run` installs), driven over the WebDriver protocol by a small client written
//! here. Each test checks that a page loads with no console message and no request but the
//! page itself, that the numbers in its tables equal `eval.json` and `compare.json`, that
//! sorting a column re-orders it, that the search filters the per-topic table, that the plots
//! are drawn, and that it fits a laptop's width and hides its controls in print. Without
//! chromedriver on the PATH when the tests are built they show as ignored with the reason
//! (build.rs); when it cannot start Chromium, each test prints `SKIP` and the reason.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::common;

/// A chromedriver process on a free local port.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request to chromedriver, the JSON body of its answer.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    // chromedriver may keep the connection open: read the head, then Content-Length bytes
    // (or chunks up to the last one).
    let mut response = Vec::new();
    let mut buf = [0u8; 65536];
    let (head, body_start) = loop {
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err(format!("{method} {path}: connection closed"));
        }
        response.extend_from_slice(&buf[..n]);
        if let Some(i) = response.windows(4).position(|w| w == b"\r\n\r\n") {
            break (
                String::from_utf8_lossy(&response[..i]).to_ascii_lowercase(),
                i + 4,
            );
        }
    };
    let length = head.lines().find_map(|l| {
        l.strip_prefix("content-length:")
            .and_then(|v| v.trim().parse::<usize>().ok())
    });
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let have = response.len() - body_start;
        let done = match length {
            Some(n) => have >= n,
            None if chunked => response.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if done {
            break;
        }
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        response.extend_from_slice(&buf[..n]);
    }
    let raw = String::from_utf8_lossy(&response[body_start..]).into_owned();
    let body = if chunked { dechunk(&raw) } else { raw };
    let value: Value =
        serde_json::from_str(&body).map_err(|e| format!("{e}: {method} {path}: {body}"))?;
    if let Some(err) = value["value"]["error"].as_str() {
        return Err(format!(
            "{method} {path}: {err}: {}",
            value["value"]["message"]
        ));
    }
    Ok(value["value"].clone())
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

impl Driver {
    /// Starts chromedriver (`IREXP_CHROMEDRIVER`, or `chromedriver` on the PATH) and waits
    /// until it answers; the error says why it could not.
    fn start() -> Result<Driver, String> {
        let program =
            std::env::var("IREXP_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_string());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let child = Command::new(&program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!("cannot start {program}: {e} (apt-get install chromium chromium-driver)")
            })?;
        let driver = Driver { child, port };
        // Startup, not a test of speed: give up after about 30 s.
        for _ in 0..300 {
            if let Ok(status) = http(port, "GET", "/status", None) {
                if status["ready"] == true {
                    return Ok(driver);
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!("{program} did not answer on port {port}"))
    }
}

/// A browser session (headless Chromium) with console and network logging.
struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = http(
            self.driver.port,
            "DELETE",
            &format!("/session/{}", self.id),
            None,
        );
    }
}

impl<'a> Session<'a> {
    fn new(driver: &'a Driver) -> Result<Session<'a>, String> {
        let mut options = json!({
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1366,900", "--no-first-run", "--disable-extensions"]
        });
        if let Ok(binary) = std::env::var("IREXP_CHROMIUM") {
            options["binary"] = json!(binary);
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"}
        }}});
        let v = http(driver.port, "POST", "/session", Some(&caps))?;
        let id = v["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session: {v}"))?
            .to_string();
        Ok(Session { driver, id })
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let body = (method == "POST").then_some(body);
        http(
            self.driver.port,
            method,
            &format!("/session/{}{path}", self.id),
            body.as_ref(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn open(&self, file: &Path) {
        let url = format!("file://{}", std::path::absolute(file).unwrap().display());
        self.call("POST", "/url", json!({ "url": url }));
    }

    fn js(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": []}),
        )
    }

    fn element(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let e = self.element(css);
        self.call("POST", &format!("/element/{e}/click"), json!({}));
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            json!({ "text": text }),
        );
    }

    fn log(&self, kind: &str) -> Vec<Value> {
        self.call("POST", "/se/log", json!({ "type": kind }))
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The URLs the page requested (Chromium's network events).
    fn requests(&self) -> Vec<String> {
        self.log("performance")
            .iter()
            .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
            .filter(|m| m["message"]["method"] == "Network.requestWillBeSent")
            .filter_map(|m| {
                m["message"]["params"]["request"]["url"]
                    .as_str()
                    .map(String::from)
            })
            .collect()
    }

    /// Opens `file` and checks that it loaded with no console message and requested nothing
    /// but itself.
    fn open_cleanly(&self, file: &Path) {
        self.open(file);
        let console = self.log("browser");
        assert!(console.is_empty(), "console messages: {console:?}");
        let url = format!("file://{}", std::path::absolute(file).unwrap().display());
        let requests = self.requests();
        assert_eq!(requests, [url], "requests other than the page itself");
    }
}

/// A session, or `None` after printing why the browser tests cannot run here.
fn browser(test: &str) -> Option<Driver> {
    let driver = match Driver::start() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("SKIP {test}: {e}");
            return None;
        }
    };
    let started = Session::new(&driver).map(drop);
    match started {
        Ok(()) => Some(driver),
        Err(e) => {
            eprintln!("SKIP {test}: chromedriver cannot start Chromium: {e}");
            None
        }
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The `data-v` values and the texts of a table's body cells, row by row.
const TABLE_CELLS: &str = "return Array.from(document.querySelectorAll(arguments[0] + ' tbody tr')).map(r => Array.from(r.cells).map(c => [c.getAttribute('data-v'), c.textContent]));";

fn cells(s: &Session, table: &str) -> Vec<Vec<(Option<String>, String)>> {
    let v = s.call(
        "POST",
        "/execute/sync",
        json!({"script": TABLE_CELLS, "args": [table]}),
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c[0].as_str().map(String::from),
                        c[1].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

/// The number a cell holds (its `data-v`), checked against its text at 4 decimals.
fn cell_number(cell: &(Option<String>, String)) -> f64 {
    let v: f64 = cell.0.as_deref().unwrap().parse().unwrap();
    let shown: String = cell.1.chars().filter(|c| *c != '†').collect();
    assert_eq!(shown, format!("{v:.4}"), "the text of {v}");
    v
}

#[cfg_attr(
    irexp_no_chromium,
    ignore = "needs chromedriver and Chromium (apt-get install chromium chromium-driver), none on the PATH at build time"
)]
#[test]
fn the_experiment_report_in_chromium() {
    let Some(driver) = browser("the_experiment_report_in_chromium") else {
        return;
    };
    let out = common::run_in_temp("configs/compare.toml", None, &[]);
    let page = out.path().join("report.html");
    let s = Session::new(&driver).unwrap();
    s.open_cleanly(&page);

    // The measure table equals eval.json, ranker by ranker and measure by measure.
    let eval = read_json(&out.path().join("eval.json"));
    let heads = s.js("return Array.from(document.querySelectorAll('#measure-table thead th')).map(h => h.textContent);");
    let heads: Vec<&str> = heads
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert_eq!(heads, ["ranker", "map", "P_5", "P_10", "ndcg_cut_10"]);
    let rows = cells(&s, "#measure-table");
    let names: Vec<&str> = rows.iter().map(|r| r[0].1.as_str()).collect();
    assert_eq!(names, ["bm25", "qld", "bm25-rm3"]);
    for row in &rows {
        for (k, m) in heads.iter().enumerate().skip(1) {
            let want = eval[&row[0].1]["summary"][*m].as_f64().unwrap();
            assert_eq!(cell_number(&row[k]), want, "{} {m}", row[0].1);
        }
    }

    // Sorting a column re-orders the rows: descending, then ascending.
    s.click("#measure-table thead th:nth-child(2)");
    let maps = |s: &Session| -> Vec<f64> {
        cells(s, "#measure-table")
            .iter()
            .map(|r| cell_number(&r[1]))
            .collect()
    };
    let down = maps(&s);
    let mut sorted = down.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    assert_eq!(down, sorted);
    s.click("#measure-table thead th:nth-child(2)");
    let up = maps(&s);
    sorted.reverse();
    assert_eq!(up, sorted);
    let order: Vec<String> = cells(&s, "#measure-table")
        .iter()
        .map(|r| r[0].1.clone())
        .collect();
    assert_ne!(
        order,
        ["bm25", "qld", "bm25-rm3"],
        "sorting changed nothing"
    );

    // The per-topic table: eval.json's values; search filters it; sorting re-orders it.
    let topics = cells(&s, "#topic-table");
    let per_topic = eval["bm25"]["per_topic"].as_array().unwrap();
    assert_eq!(topics.len(), per_topic.len());
    for (row, t) in topics.iter().zip(per_topic) {
        assert_eq!(row[0].1, t["qid"].as_str().unwrap());
        // Columns: map for bm25, qld, bm25-rm3, then P_5, ...
        assert_eq!(cell_number(&row[1]), t["map"].as_f64().unwrap());
        let qld = eval["qld"]["per_topic"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["qid"] == t["qid"])
            .unwrap();
        assert_eq!(cell_number(&row[2]), qld["map"].as_f64().unwrap());
    }
    s.type_into("#topic-search", "11");
    let visible = s.js("return Array.from(document.querySelectorAll('#topic-table tbody tr')).filter(r => !r.hidden).map(r => r.cells[0].textContent);");
    let visible: Vec<&str> = visible
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let want: Vec<&str> = per_topic
        .iter()
        .filter_map(|t| t["qid"].as_str())
        .filter(|q| q.contains("11"))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(visible, want, "search 11");
    let shown_columns = s.js("return Array.from(document.querySelectorAll('#topic-table thead th')).filter(h => getComputedStyle(h).display !== 'none').length;");
    assert_eq!(
        shown_columns, 4,
        "topic + one column per ranker for the chosen measure"
    );
    s.click("#topic-table thead th:nth-child(2)");
    let column: Vec<f64> = cells(&s, "#topic-table")
        .iter()
        .map(|r| cell_number(&r[1]))
        .collect();
    let mut want: Vec<f64> = per_topic
        .iter()
        .map(|t| t["map"].as_f64().unwrap())
        .collect();
    want.sort_by(|a, b| b.total_cmp(a));
    assert_eq!(column, want, "the per-topic table sorted by bm25's map");

    // The comparison's means equal compare.json; significant ones carry the mark.
    let cmp = read_json(&out.path().join("compare/bm25/compare.json"));
    let means = cells(&s, "#compare-0-means");
    for (m_i, m) in cmp["measures"].as_array().unwrap().iter().enumerate() {
        for (si, row) in means.iter().enumerate() {
            assert_eq!(cell_number(&row[m_i + 1]), m["means"][si].as_f64().unwrap());
        }
    }
    let tests = cells(&s, "#compare-0-tests");
    assert_eq!(tests.len(), 3 * 2);
    for row in &tests {
        let m = cmp["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["measure"] == row[0].1.as_str())
            .unwrap();
        let c = m["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["system"] == row[1].1.as_str())
            .unwrap();
        let p_adj: f64 = row[7].0.as_deref().unwrap().parse().unwrap();
        assert_eq!(p_adj, c["p_adjusted"].as_f64().unwrap());
        assert_eq!(row[7].1.contains('†'), c["significant"] == true);
    }

    // The plots: one per measure and system compared, and the precision-recall curves,
    // each drawn with a size and marks.
    let plots = s.js("return Array.from(document.querySelectorAll('svg.plot')).map(p => { const b = p.getBoundingClientRect(); return [p.getAttribute('class'), b.width, b.height, p.querySelectorAll('rect, polyline, circle').length]; });");
    let plots = plots.as_array().unwrap();
    assert_eq!(plots.iter().filter(|p| p[0] == "plot diff").count(), 3 * 2);
    assert_eq!(plots.iter().filter(|p| p[0] == "plot pr").count(), 1);
    for p in plots {
        assert!(
            p[1].as_f64().unwrap() > 100.0 && p[2].as_f64().unwrap() > 50.0,
            "{p}"
        );
        assert!(p[3].as_u64().unwrap() > 0, "an empty plot: {p}");
    }

    // A laptop's width: the page itself does not scroll sideways (wide tables scroll in
    // their own box).
    s.call(
        "POST",
        "/window/rect",
        json!({"width": 1280, "height": 800}),
    );
    let overflow =
        s.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assert_eq!(overflow, 0, "the page is wider than a laptop's window");
    // Print: the controls and the navigation are hidden.
    s.call(
        "POST",
        "/goog/cdp/execute",
        json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}}),
    );
    let hidden = s.js("return [getComputedStyle(document.querySelector('nav')).display, getComputedStyle(document.querySelector('.controls')).display];");
    assert_eq!(hidden, json!(["none", "none"]));
    let console = s.log("browser");
    assert!(console.is_empty(), "console messages: {console:?}");
}

#[cfg_attr(
    irexp_no_chromium,
    ignore = "needs chromedriver and Chromium (apt-get install chromium chromium-driver), none on the PATH at build time"
)]
#[test]
fn the_verify_status_page_in_chromium() {
    let Some(driver) = browser("the_verify_status_page_in_chromium") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::repo().join("regressions/sample.toml"))
        .unwrap()
        .replace("\"../", &format!("\"{}/", common::repo().display()))
        .replace("map = 0.9251\n", "map = 0.9252\n");
    let file = tmp.path().join("sample.toml");
    std::fs::write(&file, text).unwrap();
    let page = tmp.path().join("status.html");
    common::irexp()
        .args(["verify", "-q"])
        .arg(&file)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg("--report")
        .arg(&page)
        .assert()
        .code(1);
    let s = Session::new(&driver).unwrap();
    s.open_cleanly(&page);
    let rows = cells(&s, "#status-table");
    let names: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].1.as_str(), r[1].1.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("sample", "(index)"),
            ("sample", "bm25"),
            ("sample", "qld"),
            ("sample", "bm25-rm3")
        ]
    );
    let failing = s.js("return Array.from(document.querySelectorAll('#status-table td.fail')).map(c => c.textContent);");
    assert_eq!(failing, json!(["0.9252 / 0.9251 ✗"]));
    let passing = s.js("return document.querySelectorAll('#status-table td.pass').length;");
    assert_eq!(passing, 14);
}
