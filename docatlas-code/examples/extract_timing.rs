//! Times route and event extraction on code trees and prints what it found per framework.
//!
//! ```text
//! cargo run --release -p docatlas-code --example extract_timing -- [--threads N] [--runs N] [--json] DIR...
//! cargo run --release -p docatlas-code --example extract_timing -- --synthetic DIR FILES
//! ```
//!
//! `DIR...` are code trees (for the figure in the README: a public monorepo checked out into a
//! folder of your choice). `--synthetic DIR FILES` first writes FILES source files of every
//! framework into DIR (its own cache: nothing is downloaded) and then times them, for measuring
//! how the cost grows with size. `--threads` sets rayon's pool (2 for the README's figure).
//! `--sample N` prints N routes per framework, spread over the inventory, for checking by hand;
//! `--list` prints every route, event and unresolved item; `--self-check` compares the code with
//! its own inventory written as docs (another parameter spelling): it must report no error or
//! warning, only notes.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

/// The timing itself: native only (the crate is).
#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::Write;
    use std::path::PathBuf;

    /// Prints a line, stopping quietly when the reader has gone (`| head`).
    macro_rules! say {
        ($($t:tt)*) => {
            if writeln!(std::io::stdout(), $($t)*).is_err() {
                std::process::exit(0);
            }
        };
    }
    use std::time::Instant;

    use docatlas_code::{
        compare, extract, CompareOptions, DocEvent, DocInventory, DocRoute, DocTable,
        ExtractOptions, Place,
    };

    pub fn main() {
        let mut args = std::env::args().skip(1);
        let mut threads = None;
        let mut runs = 3usize;
        let mut sample = 0usize;
        let mut list = false;
        let mut self_check = false;
        let mut roots = Vec::new();
        while let Some(a) = args.next() {
            match a.as_str() {
                "--threads" => threads = args.next().and_then(|n| n.parse::<usize>().ok()),
                "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(3),
                "--sample" => sample = args.next().and_then(|n| n.parse().ok()).unwrap_or(5),
                "--list" => list = true,
                "--self-check" => self_check = true,
                "--synthetic" => {
                    let dir = PathBuf::from(args.next().expect("--synthetic DIR FILES"));
                    let files: usize = args
                        .next()
                        .and_then(|n| n.parse().ok())
                        .expect("--synthetic DIR FILES");
                    synthetic(&dir, files);
                    roots.push(dir);
                }
                _ => roots.push(PathBuf::from(a)),
            }
        }
        if roots.is_empty() {
            eprintln!("usage: extract_timing [--threads N] [--runs N] [--sample N] DIR... | --synthetic DIR FILES");
            std::process::exit(2);
        }
        if let Some(n) = threads {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build_global()
                .expect("rayon pool");
        }
        let opts = ExtractOptions::default();
        let mut times = Vec::new();
        let mut inv = None;
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            let i = extract(&roots, &opts).unwrap_or_else(|e| {
                eprintln!("error: {e}");
                std::process::exit(1)
            });
            times.push(t.elapsed().as_secs_f64());
            inv = Some(i);
        }
        let inv = inv.expect("one run");
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        say!(
            "{} source files parsed in {:.2} s (median of {} runs, {} threads): {:.0} files/s",
            inv.files_parsed,
            median,
            times.len(),
            rayon::current_num_threads(),
            inv.files_parsed as f64 / median
        );
        say!(
            "{} routes, {} events, {} unresolved, {} skipped",
            inv.routes.len(),
            inv.events.len(),
            inv.unresolved.len(),
            inv.skipped.len()
        );
        for (fw, n) in inv.routes_per_framework() {
            let incomplete = inv
                .routes
                .iter()
                .filter(|r| r.framework == fw && !r.complete)
                .count();
            say!("  routes {fw:<10} {n:>6} ({incomplete} below an unresolved mount)");
        }
        for (fw, n) in inv.events_per_framework() {
            say!("  events {fw:<10} {n:>6}");
        }
        let mut kinds = std::collections::BTreeMap::new();
        for u in &inv.unresolved {
            *kinds.entry(format!("{:?}", u.kind)).or_insert(0usize) += 1;
        }
        for (k, n) in kinds {
            say!("  unresolved {k:<12} {n:>6}");
        }
        if list {
            for r in &inv.routes {
                let h = r
                    .handler
                    .as_ref()
                    .map(|h| h.to_string())
                    .unwrap_or_default();
                say!(
                    "route {} {}{} {h} {} [{}]",
                    r.method,
                    r.path,
                    if r.complete { "" } else { " (tail)" },
                    r.place,
                    r.framework
                );
            }
            for e in &inv.events {
                say!("event {} {} {}", e.name, e.direction, e.place);
            }
            for u in &inv.unresolved {
                say!(
                    "unresolved {:?} `{}` {} {}",
                    u.kind,
                    u.code,
                    u.place,
                    u.reason
                );
            }
        }
        if self_check {
            // The code's own inventory written as docs would write it (`{id}` for `:id`, the
            // handler as the code names it): comparing must report no error and no warning.
            let place = Place::new("self-check.md", 1, 1);
            let docs = DocInventory {
                routes: inv
                    .routes
                    .iter()
                    .filter(|r| r.complete)
                    .map(|r| DocRoute {
                        method: r.method.to_lowercase(),
                        path: docatlas_code::normalize::path(&r.path).replace("{}", "{id}"),
                        handler: r.handler.as_ref().map(|h| h.to_string()),
                        place: place.clone(),
                        table: Some(0),
                    })
                    .collect(),
                events: inv
                    .events
                    .iter()
                    .map(|e| DocEvent {
                        name: e.name.clone(),
                        direction: Some(e.direction.to_string()),
                        handler: e.handler.as_ref().map(|h| h.to_string()),
                        place: place.clone(),
                        table: Some(0),
                    })
                    .collect(),
                code_refs: Vec::new(),
                route_tables: vec![DocTable {
                    place: place.clone(),
                    title: None,
                }],
                event_tables: vec![DocTable { place, title: None }],
            };
            let mut docs = docs;
            // A route served by two services (or an event two files send) is one row.
            let mut seen = std::collections::BTreeSet::new();
            docs.routes
                .retain(|r| seen.insert((r.method.clone(), r.path.clone())));
            let mut seen = std::collections::BTreeSet::new();
            docs.events.retain(|e| seen.insert(e.name.clone()));
            let findings = compare(&docs, &inv, &CompareOptions::default());
            let mut kinds = std::collections::BTreeMap::new();
            for f in &findings {
                *kinds.entry((f.severity, f.kind.code())).or_insert(0usize) += 1;
            }
            say!("self-check: {} findings", findings.len());
            for ((sev, kind), n) in kinds {
                say!("  {sev} {kind} {n}");
            }
            for f in findings
                .iter()
                .filter(|f| f.severity != docatlas_code::Severity::Note)
                .take(10)
            {
                say!("  {f}");
            }
        }
        if sample > 0 {
            for (fw, _) in inv.routes_per_framework() {
                let of: Vec<_> = inv.routes.iter().filter(|r| r.framework == fw).collect();
                let step = of.len().checked_div(sample).unwrap_or(1).max(1);
                say!("-- {fw}");
                for r in of.iter().step_by(step).take(sample) {
                    let h = r
                        .handler
                        .as_ref()
                        .map(|h| h.to_string())
                        .unwrap_or_default();
                    say!(
                        "  {} {}{}  {h}  {}",
                        r.method,
                        r.path,
                        if r.complete { "" } else { " (tail)" },
                        r.place
                    );
                }
            }
            let step = (inv.events.len() / sample.max(1)).max(1);
            for e in inv.events.iter().step_by(step).take(sample) {
                say!("  event {} {}  {}", e.name, e.direction, e.place);
            }
            let step = (inv.unresolved.len() / sample.max(1)).max(1);
            for u in inv.unresolved.iter().step_by(step).take(sample) {
                say!("  unresolved {:?} `{}` {}", u.kind, u.code, u.place);
            }
        }
    }

    /// Writes `files` source files into `dir`, a mix of every framework the extractor reads, with
    /// mounts across files, in folders of 50.
    fn synthetic(dir: &std::path::Path, files: usize) {
        let _ = std::fs::remove_dir_all(dir);
        for i in 0..files {
            let sub = dir.join(format!("pkg{:03}", i / 50));
            std::fs::create_dir_all(&sub).expect("create the synthetic tree");
            let (name, text) = match i % 6 {
                0 => (
                    format!("routes{i}.ts"),
                    format!(
                        "import {{ Router }} from 'express';\nimport {{ svc }} from './svc{i}';\n\nexport const router{i} = Router();\n\nrouter{i}.get('/items{i}', svc.list);\nrouter{i}.post('/items{i}', svc.create);\nrouter{i}.get('/items{i}/:id', async (req, res) => {{\n  const x = await svc.get(req.params.id);\n  res.json(x);\n}});\n{}\n",
                        filler(i)
                    ),
                ),
                1 => (
                    format!("things{i}.controller.ts"),
                    format!(
                        "import {{ Controller, Get, Post, Param }} from '@nestjs/common';\n\n@Controller('things{i}')\nexport class Things{i}Controller {{\n  @Get(':id')\n  get(@Param('id') id: string) {{\n    return id;\n  }}\n\n  @Post()\n  create() {{\n    return {{}};\n  }}\n}}\n{}\n",
                        filler(i)
                    ),
                ),
                2 => (
                    format!("api{i}.py"),
                    format!(
                        "from fastapi import APIRouter\n\nrouter = APIRouter(prefix=\"/api{i}\")\n\n\n@router.get(\"/{{item_id}}\")\nasync def get_item(item_id: int):\n    return {{\"id\": item_id}}\n\n\n@router.post(\"/\")\nasync def create_item():\n    return {{}}\n"
                    ),
                ),
                3 => (
                    format!("handlers{i}.go"),
                    format!(
                        "package pkg{:03}\n\nimport \"github.com/go-chi/chi/v5\"\n\nfunc Routes{i}() chi.Router {{\n\tr := chi.NewRouter()\n\tr.Get(\"/v{i}/{{id}}\", get{i})\n\tr.Post(\"/v{i}\", create{i})\n\treturn r\n}}\n\nfunc get{i}()    {{}}\nfunc create{i}() {{}}\n",
                        i / 50
                    ),
                ),
                4 => (
                    format!("Resource{i}Controller.java"),
                    format!(
                        "package pkg;\n\nimport org.springframework.web.bind.annotation.*;\n\n@RestController\n@RequestMapping(\"/res{i}\")\npublic class Resource{i}Controller {{\n    @GetMapping(\"/{{id}}\")\n    public String get(@PathVariable String id) {{ return id; }}\n\n    @PostMapping\n    public String create() {{ return \"\"; }}\n}}\n"
                    ),
                ),
                _ => (
                    format!("util{i}.js"),
                    format!(
                        "export function helper{i}(a, b) {{\n  return a.map((x) => x + b);\n}}\n{}\n",
                        filler(i).replace("input: number[]): number", "input)")
                    ),
                ),
            };
            std::fs::write(sub.join(name), text).expect("write a synthetic file");
        }
    }

    /// Ordinary TypeScript that is not a route, so files have a realistic size (~3 KB).
    fn filler(i: usize) -> String {
        let mut s = String::new();
        for j in 0..20 {
            s.push_str(&format!(
                "export function compute{i}_{j}(input: number[]): number {{\n  let total = 0;\n  for (const v of input) {{\n    if (v % 2 === 0) total += v * {j};\n    else total -= v;\n  }}\n  return total;\n}}\n"
            ));
        }
        s
    }
}
