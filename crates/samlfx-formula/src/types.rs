//! Formula data types, with the labels Salesforce prints in its messages.

/// The static type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Text,
    /// Number, Currency and Percent fields all have this type inside a formula.
    Number,
    Boolean,
    Date,
    DateTime,
    Time,
    /// A picklist field: usable only through TEXT(), ISPICKVAL() and CASE().
    Picklist,
    /// A geolocation (latitude and longitude), made by GEOLOCATION() and read by DISTANCE();
    /// never a formula's result.
    Location,
    /// The `NULL` literal, which fits every parameter.
    Null,
}

impl Type {
    /// The label Salesforce uses in messages such as `Expected Text, received Number`.
    pub fn label(self) -> &'static str {
        match self {
            Type::Text => "Text",
            Type::Number => "Number",
            Type::Boolean => "Boolean",
            Type::Date => "Date",
            Type::DateTime => "DateTime",
            Type::Time => "Time",
            Type::Picklist => "Picklist",
            Type::Location => "Location",
            Type::Null => "Null",
        }
    }

    /// Parses a type name as the CLI and the JSON context spell it (case-insensitive). Currency and
    /// Percent are accepted as Number.
    pub fn parse(s: &str) -> Option<Type> {
        Some(match s.to_ascii_lowercase().as_str() {
            "text" | "string" | "textarea" | "email" | "phone" | "url" | "id" | "reference" => {
                Type::Text
            }
            "number" | "double" | "currency" | "percent" | "int" | "integer" => Type::Number,
            "boolean" | "checkbox" => Type::Boolean,
            "date" | "dateonly" => Type::Date,
            "datetime" => Type::DateTime,
            "time" | "timeonly" => Type::Time,
            "picklist" => Type::Picklist,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Type {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
