//! `irexp slurm CONFIG --shards N`.

use std::io::Write;

use super::SlurmArgs;
use irexp::config::Experiment;
use irexp::error::Error;
use irexp::shard::slurm::{self, figures, Resources};

pub(super) fn run(args: &SlurmArgs, out: &mut dyn Write) -> irexp::Result<()> {
    let mut exp = Experiment::load(&args.config, &args.overrides)?;
    if !args.rankers.is_empty() {
        exp.select_rankers(&args.rankers)?;
    }
    let documents = match args.documents {
        Some(d) => d,
        None => {
            let mut bytes = 0u64;
            for f in exp.corpus.files()? {
                bytes += std::fs::metadata(&f).map_err(|e| Error::io(&f, e))?.len();
            }
            ((bytes as f64 / figures::BYTES_PER_DOC).ceil() as u64).max(1)
        }
    };
    let rankers = exp.rankers.len() + exp.sweeps.iter().map(|s| s.points.len()).sum::<usize>();
    let mut res = Resources::sized(
        documents,
        args.shards,
        rankers,
        args.cpus,
        exp.index_memory_mb,
    );
    if let Some(m) = args.mem {
        (res.index_mem_mb, res.search_mem_mb) = (m, m);
    }
    if let Some(t) = args.time {
        (res.index_minutes, res.search_minutes) = (t, t);
    }
    res.partition = args.partition.clone();
    res.account = args.account.clone();
    let dir = args.dir.clone().unwrap_or_else(|| {
        let mut d = exp.output.clone().into_os_string();
        d.push(".slurm");
        d.into()
    });
    // What every job's command gets after the config.
    let mut sets: Vec<String> = Vec::new();
    for o in &args.overrides {
        sets.extend(["--set".to_string(), format!("{}={}", o.key, o.value)]);
    }
    let mut rankers: Vec<String> = Vec::new();
    for r in &args.rankers {
        rankers.extend(["--ranker".to_string(), r.clone()]);
    }
    let irexp = std::env::current_exe().map_err(|e| Error::io("irexp", e))?;
    let chain = slurm::write(&exp, args.shards, &res, &dir, &irexp, &sets, &rankers)?;
    let mut text = format!(
        "wrote {} ({} shards, ~{documents} documents: {} CPUs, index {} MiB / {} min, search {} MiB / {} min per task)\n",
        chain.dir.display(),
        args.shards,
        res.cpus,
        res.index_mem_mb,
        res.index_minutes,
        res.search_mem_mb,
        res.search_minutes
    );
    let order: Vec<&str> = chain.jobs.iter().map(|(n, _)| n.as_str()).collect();
    text.push_str(&format!("chain: {}\n", order.join(" -> ")));
    if args.submit {
        out.write_all(text.as_bytes())
            .map_err(|e| Error::io("<stdout>", e))?;
        out.flush().map_err(|e| Error::io("<stdout>", e))?;
        text.clear();
        for (name, id) in slurm::submit(&chain, args.wait, &exp.output)? {
            text.push_str(&format!("{name} {id}\n"));
        }
        if args.wait {
            text.push_str(&format!("done: {}\n", exp.output.display()));
        }
    } else {
        text.push_str(&format!(
            "submit with: {}/submit.sh (or irexp slurm ... --submit)\n",
            chain.dir.display()
        ));
    }
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))
}
