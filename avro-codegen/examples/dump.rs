//! Prints the code generated for the schema files given on the command line.
fn main() {
    let sources = std::env::args()
        .skip(1)
        .map(|p| {
            avro_codegen::Source::new(
                p.clone(),
                std::fs::read_to_string(&p).expect("readable file"),
            )
        })
        .collect();
    match avro_codegen::generate_from_sources(sources, &avro_codegen::Options::default()) {
        Ok(modules) => {
            for (m, src) in modules {
                println!("// ===== module {m:?}\n{src}");
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
