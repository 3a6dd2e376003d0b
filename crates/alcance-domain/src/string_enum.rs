//! One definition for the closed sets of values (status, priority, role...) that travel as
//! stable snake_case strings through the database, the API and the Fluent files.

/// Declares an enum whose variants map one-to-one to stable snake_case strings, with
/// `ALL`, `as_str`, `parse` (naming the field on failure) and serde in that form.
#[macro_export]
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stable string form; an unknown value is refused naming `field`
            /// and listing what is allowed.
            pub fn parse(field: &str, value: &str) -> Result<Self, $crate::FieldError> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value).ok_or_else(|| {
                    $crate::FieldError::new(field, $crate::FieldErrorCode::UnknownValue)
                        .with_detail(Self::NAMES.join(", "))
                })
            }
        }

        // The API documents these as string enums listing every allowed value.
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .enum_values(Some(Self::NAMES.iter().copied()))
                    .into()
            }
        }

        impl ::utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == text)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&text, Self::NAMES))
            }
        }
    };
}
