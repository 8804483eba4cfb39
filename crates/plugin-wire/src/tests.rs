use super::*;
use proptest::prelude::*;

/// A value as tests see it: every shape of the encoding.
#[derive(Clone, Debug, PartialEq)]
enum V {
    Absent,
    Bool(bool),
    Int(i64),
    Decimal(f64),
    Text(String),
    Date(String),
    Duration(i64, Unit),
    Enum(String),
    List(Vec<V>),
    Set(Vec<V>),
    Record(Vec<(String, V)>),
}

impl Build for V {
    fn scalar(scalar: Scalar<'_>) -> Result<V, String> {
        Ok(match scalar {
            Scalar::Absent => V::Absent,
            Scalar::Bool(b) => V::Bool(b),
            Scalar::Int(i) => V::Int(i),
            Scalar::Decimal(d) => V::Decimal(d),
            Scalar::Text(s) => V::Text(s.into()),
            Scalar::Date(s) if s.len() == 10 => V::Date(s.into()),
            Scalar::Date(s) => return Err(format!("`{s}` is not a date")),
            Scalar::Duration(a, u) => V::Duration(a, u),
            Scalar::Enum(s) => V::Enum(s.into()),
        })
    }
    fn list(items: Vec<V>) -> V {
        V::List(items)
    }
    fn set(items: Vec<V>) -> V {
        V::Set(items)
    }
    fn record(fields: Vec<(&str, V)>) -> Result<V, String> {
        Ok(V::Record(
            fields.into_iter().map(|(n, v)| (n.into(), v)).collect(),
        ))
    }
}

fn write(w: &mut Writer, v: &V) {
    match v {
        V::Absent => w.absent(),
        V::Bool(b) => w.bool(*b),
        V::Int(i) => w.int(*i),
        V::Decimal(d) => w.decimal(*d),
        V::Text(s) => w.text(s),
        V::Date(s) => w.date(s),
        V::Duration(a, u) => w.duration(*a, *u),
        V::Enum(s) => w.enum_case(s),
        V::List(items) | V::Set(items) => {
            if matches!(v, V::List(_)) {
                w.list(items.len());
            } else {
                w.set(items.len());
            }
            items.iter().for_each(|i| write(w, i));
        }
        V::Record(fields) => {
            w.record(fields.len());
            for (name, value) in fields {
                w.field(name);
                write(w, value);
            }
        }
    }
}

fn bytes(v: &V) -> Vec<u8> {
    let mut w = Writer::new();
    write(&mut w, v);
    w.into_bytes()
}

fn sample() -> V {
    V::List(vec![
        V::Record(vec![
            ("id".into(), V::Text("m1".into())),
            ("profession".into(), V::Enum("medecin".into())),
            ("adhesion".into(), V::Absent),
        ]),
        V::Set(vec![V::Int(-1), V::Decimal(2.5)]),
        V::Duration(2, Unit::WorkingDays),
        V::Date("2024-03-16".into()),
        V::Bool(true),
        V::Bool(false),
        V::Text("Cœur de Loire".into()),
    ])
}

#[test]
fn values_round_trip() {
    let v = sample();
    assert_eq!(decode_value::<V>(&bytes(&v), Limits::default()), Ok(v));
}

#[test]
fn arguments_round_trip() {
    let mut w = Writer::new();
    w.count(2);
    w.list(2);
    w.text("28");
    w.text("45");
    w.int(7);
    let args: Vec<V> = decode_args(&w.into_bytes(), Limits::default()).unwrap();
    assert_eq!(
        args,
        vec![
            V::List(vec![V::Text("28".into()), V::Text("45".into())]),
            V::Int(7)
        ]
    );
}

#[test]
fn the_layout_is_the_documented_one() {
    let mut w = Writer::new();
    w.list(1);
    w.text("é");
    assert_eq!(w.into_bytes(), [9, 1, 0, 0, 0, 5, 2, 0, 0, 0, 0xc3, 0xa9]);
    let mut w = Writer::reusing(vec![1, 2, 3]);
    w.duration(-1, Unit::Years);
    assert_eq!(
        w.into_bytes(),
        [7, 255, 255, 255, 255, 255, 255, 255, 255, 4]
    );
}

fn error(bytes: &[u8], limits: Limits) -> String {
    decode_value::<V>(bytes, limits).unwrap_err().to_string()
}

#[test]
fn malformed_buffers_are_refused_with_the_offset() {
    let d = Limits::default();
    assert_eq!(error(&[], d), "the value is cut short (byte 0)");
    assert_eq!(error(&[3, 1, 2], d), "the value is cut short (byte 1)");
    assert_eq!(error(&[42], d), "42 is not a value tag (byte 0)");
    assert_eq!(
        error(&[2, 0], d),
        "1 bytes follow the end of the value (byte 1)"
    );
    assert_eq!(
        error(&[9, 255, 255, 255, 255], d),
        "4294967295 items announced, but only 0 bytes are left (byte 5)"
    );
    assert_eq!(
        error(&[5, 2, 0, 0, 0, 0xff, 0xfe], d),
        "a text is not UTF-8 (byte 5)"
    );
    assert_eq!(
        error(&[7, 0, 0, 0, 0, 0, 0, 0, 0, 9], d),
        "9 is not a duration unit (byte 10)"
    );
    assert_eq!(
        error(&[6, 1, 0, 0, 0, b'x'], d),
        "`x` is not a date (byte 0)"
    );
}

#[test]
fn nesting_and_size_are_bounded() {
    let mut deep = V::Absent;
    for _ in 0..10 {
        deep = V::List(vec![deep]);
    }
    let limits = Limits {
        values: 100,
        depth: 5,
    };
    assert!(error(&bytes(&deep), limits).starts_with("values nest deeper than 5 levels"));
    let wide = V::List(vec![V::Absent; 100]);
    assert!(error(&bytes(&wide), limits).starts_with("more than 100 values"));
    let fits = V::List(vec![V::Absent; 99]);
    assert!(decode_value::<V>(&bytes(&fits), limits).is_ok());
}

fn value() -> impl Strategy<Value = V> {
    let leaf = prop_oneof![
        Just(V::Absent),
        any::<bool>().prop_map(V::Bool),
        any::<i64>().prop_map(V::Int),
        (-1e12f64..1e12).prop_map(V::Decimal),
        ".{0,8}".prop_map(V::Text),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(V::Date),
        (any::<i64>(), 0u8..5).prop_map(|(a, u)| V::Duration(a, Unit::from_byte(u).unwrap())),
        "[a-z_]{1,8}".prop_map(V::Enum),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(V::List),
            prop::collection::vec(inner.clone(), 0..6).prop_map(V::Set),
            prop::collection::vec(("[a-z]{1,6}", inner), 0..4).prop_map(V::Record),
        ]
    })
}

fn args_bytes(args: &[V]) -> Vec<u8> {
    let mut w = Writer::new();
    w.count(args.len());
    args.iter().for_each(|a| write(&mut w, a));
    w.into_bytes()
}

#[test]
fn arguments_are_read_in_place() {
    let args: Vec<V> = (0..12).map(V::Int).chain([sample()]).collect();
    let bytes = args_bytes(&args);
    let index = index_args(&bytes, Limits::default()).unwrap();
    assert_eq!(index.len(), 13);
    for (i, arg) in args.iter().enumerate() {
        let read: V = index.get(&bytes, i).unwrap().build().unwrap();
        assert_eq!(&read, arg);
    }
    assert!(index.get(&bytes, 13).is_none());
    let Shape::List(items) = index.get(&bytes, 12).unwrap().shape() else {
        panic!("a list")
    };
    let shapes: Vec<String> = items
        .map(|item| match item.shape() {
            Shape::Scalar(s) => format!("{s:?}"),
            Shape::List(_) => "list".into(),
            Shape::Set(items) => format!("set of {}", items.count()),
            Shape::Record(fields) => {
                let names: Vec<&str> = fields.map(|(name, _)| name).collect();
                format!("record {}", names.join(","))
            }
        })
        .collect();
    assert_eq!(
        shapes,
        [
            "record id,profession,adhesion",
            "set of 2",
            "Duration(2, WorkingDays)",
            "Date(\"2024-03-16\")",
            "Bool(true)",
            "Bool(false)",
            "Text(\"Cœur de Loire\")"
        ]
    );
}

#[test]
fn small_arguments_travel_inline() {
    let bytes: Vec<u8> = (1..=21).collect();
    let words = pack_inline(&bytes).unwrap();
    assert_eq!(words[0], u64::from_le_bytes([1, 2, 3, 4, 5, 6, 7, 8]));
    let (back, len) = unpack_inline(21, words);
    assert_eq!(&back[..len], &bytes[..]);
    assert!(pack_inline(&[0; INLINE_BYTES]).is_some());
    assert!(pack_inline(&[0; INLINE_BYTES + 1]).is_none());
    // A forged length is capped.
    assert_eq!(unpack_inline(u32::MAX, words).1, INLINE_BYTES);
}

#[test]
fn texts_of_a_list_are_read_once_each() {
    let list = V::List(vec![
        V::Text("28".into()),
        V::Enum("medecin".into()),
        V::Int(3),
        V::Date("2024-03-16".into()),
    ]);
    let bytes = args_bytes(&[list]);
    let index = index_args(&bytes, Limits::default()).unwrap();
    let mut items = index.get(&bytes, 0).unwrap().items().unwrap();
    assert_eq!(items.next_text().unwrap().ok(), Some("28"));
    assert_eq!(items.next_text().unwrap().ok(), Some("medecin"));
    let not_text = items.next_text().unwrap().unwrap_err();
    assert_eq!(not_text.build::<V>(), Ok(V::Int(3)));
    assert_eq!(items.next_text().unwrap().ok(), Some("2024-03-16"));
    assert!(items.next_text().is_none());
}

#[test]
fn reading_unchecked_bytes_does_not_panic() {
    let bytes = args_bytes(&[sample()]);
    let index = index_args(&bytes, Limits::default()).unwrap();
    // The index used on other, shorter bytes: reads as none or as no items.
    let short = &bytes[..6];
    let arg = index.get(short, 0).unwrap();
    if let Shape::List(items) = arg.shape() {
        assert_eq!(items.count(), 0);
    }
    assert!(arg.build::<V>().is_err());
}

proptest! {
    #[test]
    fn indexing_agrees_with_decoding(args in prop::collection::vec(value(), 0..12)) {
        let bytes = args_bytes(&args);
        let index = index_args(&bytes, Limits::default()).unwrap();
        prop_assert_eq!(index.len(), args.len());
        for (i, arg) in args.iter().enumerate() {
            let read: V = index.get(&bytes, i).unwrap().build().unwrap();
            prop_assert_eq!(&read, arg);
        }
    }

    #[test]
    fn indexing_refuses_what_decoding_refuses(junk in prop::collection::vec(any::<u8>(), 0..48)) {
        // Indexing checks the structure; texts are checked when read. So what indexing refuses,
        // decoding refuses too; what decoding accepts reads the same through the index.
        let indexed = index_args(&junk, Limits::default());
        let decoded = decode_args::<V>(&junk, Limits::default());
        match (indexed, decoded) {
            (Err(_), decoded) => prop_assert!(decoded.is_err()),
            (Ok(index), Ok(args)) => {
                for (i, arg) in args.iter().enumerate() {
                    let read: V = index.get(&junk, i).unwrap().build().unwrap();
                    prop_assert_eq!(&read, arg);
                }
            }
            (Ok(index), Err(_)) => {
                // A text that is not UTF-8, or a date `V` refuses: reading it fails, no panic.
                for i in 0..index.len() {
                    let _ = index.get(&junk, i).unwrap().build::<V>();
                }
            }
        }
    }

    #[test]
    fn every_value_round_trips(v in value()) {
        prop_assert_eq!(decode_value::<V>(&bytes(&v), Limits::default()), Ok(v));
    }

    #[test]
    fn any_bytes_decode_or_fail_without_panicking(junk in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = decode_value::<V>(&junk, Limits::default());
        let _ = decode_args::<V>(&junk, Limits::default());
    }

    #[test]
    fn a_cut_or_flipped_value_never_panics(v in value(), cut in any::<prop::sample::Index>(), flip in any::<u8>()) {
        let mut b = bytes(&v);
        let i = cut.index(b.len());
        let mut flipped = b.clone();
        flipped[i] ^= flip;
        let _ = decode_value::<V>(&flipped, Limits::default());
        b.truncate(i);
        prop_assert!(decode_value::<V>(&b, Limits::default()).is_err());
    }
}
