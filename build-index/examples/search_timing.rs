//! Times the search engine natively over a built site, files already loaded (the app's warm
//! case): per query, the rounds of files a search from a fresh engine asks for and the warm time, then p50 /
//! p95 / max over all queries, and each query's top 10 (for diffing relevance before and after
//! an engine change).
//!
//! ```text
//! cargo run --release -p build-index --example search_timing -- SITE QUERIES.txt [TOP10_OUT] [REPEAT]
//! ```
//!
//! `QUERIES.txt` holds one query per line. Timing figures on a shared machine are noisy:
//! compare two builds in the same run.

// Native only, like the crate: on wasm32 (the workspace's wasm clippy run) this is an empty main.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> anyhow::Result<()> {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::Write;
    use std::path::Path;
    use std::time::{Duration, Instant};

    use build_index::site;
    use docatlas_core::{Engine, SearchOptions, Step};

    pub fn main() -> anyhow::Result<()> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let (Some(site_dir), Some(queries)) = (args.first(), args.get(1)) else {
            anyhow::bail!("usage: search_timing SITE QUERIES.txt [TOP10_OUT] [REPEAT]");
        };
        let site_dir = Path::new(site_dir);
        let queries: Vec<String> = std::fs::read_to_string(queries)?
            .lines()
            .map(str::to_string)
            .filter(|l| !l.trim().is_empty())
            .collect();
        let repeat: usize = args.get(3).map(|r| r.parse()).transpose()?.unwrap_or(5);
        let opts = SearchOptions::hits(10);
        let mut engine = site::open(site_dir)?;
        // `CPU_TIME=1` times each run by the thread's CPU time (Linux): on a machine shared with
        // other work, wall time counts the waits for a core too, and p95 turns into noise.
        let cpu_time = std::env::var("CPU_TIME").is_ok_and(|v| v == "1");

        // Cold: the rounds of files each query needs from a fresh engine (the first query of a
        // page load); the files are also kept in `engine` for the warm runs.
        let mut rounds = Vec::with_capacity(queries.len());
        let mut files = 0usize;
        for q in &queries {
            let mut fresh = site::open(site_dir)?;
            let mut n = 0usize;
            loop {
                match fresh.search(q, &opts) {
                    Step::Ready(_) => break,
                    Step::Need(names) => {
                        n += 1;
                        files += names.len();
                        for name in names {
                            let bytes = site::read_file(site_dir, &name)?;
                            fresh
                                .insert(&name, &bytes)
                                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
                        }
                        anyhow::ensure!(n < 64, "{q:?} needs more than 64 rounds");
                    }
                }
            }
            rounds.push(n);
            site::run(&mut engine, site_dir, |e| e.search(q, &opts))?;
        }

        // Warm: the best of `repeat` runs per query.
        let mut times: Vec<(Duration, usize)> = Vec::with_capacity(queries.len());
        let mut out = String::new();
        for (i, q) in queries.iter().enumerate() {
            let mut best = Duration::MAX;
            let mut result = None;
            for _ in 0..repeat.max(1) {
                let t = Clock::now(cpu_time);
                let r = search_ready(&engine, q, &opts)?;
                best = best.min(t.elapsed());
                result = Some(r);
            }
            times.push((best, i));
            if let Some(r) = result {
                out.push_str(&format!("{q}\t{}\n", r.total));
                for h in &r.hits {
                    out.push_str(&format!(
                        "  {}#{}\t{:.3}\n",
                        h.path,
                        h.anchor.as_deref().unwrap_or(""),
                        h.score
                    ));
                }
            }
        }
        if let Some(path) = args.get(2) {
            std::fs::write(path, out)?;
        }
        times.sort();
        let pct = |p: usize| {
            let i = (times.len().saturating_sub(1)) * p / 100;
            times.get(i).map_or(0.0, |t| t.0.as_secs_f64() * 1000.0)
        };
        let mut stdout = std::io::stdout().lock();
        writeln!(
            stdout,
            "{} queries: warm p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            queries.len(),
            pct(50),
            pct(95),
            pct(99),
            pct(100)
        )?;
        let mut hist = [0usize; 8];
        for &r in &rounds {
            if let Some(h) = hist.get_mut(r.min(7)) {
                *h += 1;
            }
        }
        writeln!(
        stdout,
        "rounds of files per query from a fresh engine (0..7+): {hist:?}, mean {:.2}; {files} files",
        rounds.iter().sum::<usize>() as f64 / rounds.len().max(1) as f64
    )?;
        // `SLOWEST=N` lists more of the slowest queries (to profile just those).
        let slowest: usize = std::env::var("SLOWEST")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(8);
        writeln!(stdout, "slowest:")?;
        for &(t, i) in times.iter().rev().take(slowest) {
            writeln!(
                stdout,
                "  {:8.3} ms  {}",
                t.as_secs_f64() * 1000.0,
                queries.get(i).map_or("", String::as_str)
            )?;
        }
        Ok(())
    }

    /// A start time: wall clock, or the thread's CPU time.
    enum Clock {
        Wall(Instant),
        Cpu(Duration),
    }

    impl Clock {
        fn now(cpu: bool) -> Clock {
            match thread_cpu_time() {
                Some(t) if cpu => Clock::Cpu(t),
                _ => Clock::Wall(Instant::now()),
            }
        }

        fn elapsed(&self) -> Duration {
            match self {
                Clock::Wall(t) => t.elapsed(),
                Clock::Cpu(t) => {
                    thread_cpu_time().map_or(Duration::ZERO, |now| now.saturating_sub(*t))
                }
            }
        }
    }

    /// The calling thread's CPU time (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`).
    #[cfg(target_os = "linux")]
    fn thread_cpu_time() -> Option<Duration> {
        #[repr(C)]
        struct Timespec {
            sec: i64,
            nsec: i64,
        }
        extern "C" {
            fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
        }
        const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
        let mut t = Timespec { sec: 0, nsec: 0 };
        // SAFETY: `t` is a valid, writable timespec; the call only writes into it.
        let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) };
        (rc == 0).then(|| Duration::new(t.sec as u64, t.nsec as u32))
    }

    #[cfg(not(target_os = "linux"))]
    fn thread_cpu_time() -> Option<Duration> {
        None
    }

    fn search_ready(
        engine: &Engine,
        q: &str,
        opts: &SearchOptions,
    ) -> anyhow::Result<docatlas_core::SearchResults> {
        match engine.search(q, opts) {
            Step::Ready(r) => Ok(r),
            Step::Need(n) => anyhow::bail!("{q:?} still needs {n:?} when warm"),
        }
    }
}
