fn main() {
    let path = std::env::args().nth(1).unwrap();
    let src = std::fs::read_to_string(&path).unwrap();
    let lang: tree_sitter::Language = match path.rsplit('.').next().unwrap() {
        "ts" => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        "js" => tree_sitter_javascript::LANGUAGE.into(),
        "py" => tree_sitter_python::LANGUAGE.into(),
        "go" => tree_sitter_go::LANGUAGE.into(),
        "java" => tree_sitter_java::LANGUAGE.into(),
        _ => panic!(),
    };
    let mut p = tree_sitter::Parser::new();
    p.set_language(&lang).unwrap();
    let t = p.parse(&src, None).unwrap();
    print(t.root_node(), &src, 0, None);
}
fn print(n: tree_sitter::Node, src: &str, d: usize, field: Option<&str>) {
    if !n.is_named() {
        return;
    }
    let text = if n.child_count() == 0 {
        format!(" {:?}", &src[n.byte_range()])
    } else {
        String::new()
    };
    println!(
        "{}{}{}{}",
        "  ".repeat(d),
        field.map(|f| format!("{f}: ")).unwrap_or_default(),
        n.kind(),
        text
    );
    let mut c = n.walk();
    for (i, ch) in n.children(&mut c).enumerate() {
        let _ = i;
        print(ch, src, d + 1, None);
    }
}
