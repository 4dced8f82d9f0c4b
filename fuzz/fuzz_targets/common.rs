// Shared by the fuzz targets: the readers take files, so each input is written to one
// temporary file per process (in memory on Linux when /dev/shm exists).
use std::path::PathBuf;

pub fn scratch(data: &[u8]) -> PathBuf {
    let dir = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let path = dir.join(format!("irexp-fuzz-{}", std::process::id()));
    std::fs::write(&path, data).expect("the scratch file can be written");
    path
}
