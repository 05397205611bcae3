using System.Globalization;
using System.Text.RegularExpressions;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>One comparison of a search filter: <c>kind.key op value</c> (kind is "" for a bare name).</summary>
internal sealed record FilterClause(string Kind, string Key, string Op, IReadOnlyList<string> Values, bool IsNumber)
{
    public string Value => Values[0];

    public bool Matches(string? actual)
    {
        if (actual is null) return false;
        return Op switch
        {
            "=" => actual == Value,
            "!=" => actual != Value,
            "LIKE" => Like(actual, ignoreCase: false),
            "ILIKE" => Like(actual, ignoreCase: true),
            "IN" => Values.Contains(actual),
            "NOT IN" => !Values.Contains(actual),
            _ => IsNumber && double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? Matches(number)
                : Compare(string.CompareOrdinal(actual, Value)),
        };
    }

    public bool Matches(double? actual)
    {
        if (actual is null) return false;
        if (!double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected))
        {
            throw MlflowErrors.Invalid($"Expected a numeric value for '{Kind}.{Key}' but got '{Value}'");
        }
        return Op switch
        {
            "=" => actual.Value == expected,
            "!=" => actual.Value != expected,
            _ => Compare(actual.Value.CompareTo(expected)),
        };
    }

    private bool Compare(int order) => Op switch
    {
        "<" => order < 0,
        "<=" => order <= 0,
        ">" => order > 0,
        ">=" => order >= 0,
        _ => throw MlflowErrors.Invalid($"Invalid comparator '{Op}'"),
    };

    private bool Like(string actual, bool ignoreCase)
    {
        var pattern = "^" + Regex.Escape(Value).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(actual, pattern, (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.Singleline,
            TimeSpan.FromSeconds(1));
    }
}

/// <summary>A parser for MLflow's search filter language: comparisons joined by AND.</summary>
internal static class SearchFilter
{
    private static readonly string[] Symbols = ["!=", "<=", ">=", "=", "<", ">"];

    public static IReadOnlyList<FilterClause> Parse(string? filter)
    {
        var clauses = new List<FilterClause>();
        if (string.IsNullOrWhiteSpace(filter)) return clauses;
        var s = new Scanner(filter);
        while (true)
        {
            var (kind, key) = s.Identifier();
            var op = s.Operator();
            var values = new List<string>();
            var isNumber = false;
            if (op is "IN" or "NOT IN")
            {
                s.Expect('(');
                do { values.Add(s.Quoted()); } while (s.TryTake(','));
                s.Expect(')');
            }
            else if (s.PeekQuote())
            {
                values.Add(s.Quoted());
            }
            else
            {
                values.Add(s.Number());
                isNumber = true;
            }
            clauses.Add(new FilterClause(kind, key, op, values, isNumber));
            if (s.AtEnd) return clauses;
            if (!s.Word().Equals("AND", StringComparison.OrdinalIgnoreCase)) throw s.Error();
        }
    }

    private sealed class Scanner(string text)
    {
        private int pos;

        public bool AtEnd
        {
            get { SkipSpace(); return pos >= text.Length; }
        }

        public Exception Error() => MlflowErrors.Invalid($"Invalid filter '{text}'. Could not parse it near position {pos}.");

        public (string Kind, string Key) Identifier()
        {
            SkipSpace();
            if (PeekIs('`') || PeekIs('"')) return ("", Quoted());
            var word = Word();
            if (word.EndsWith('.') && (PeekIs('`') || PeekIs('"'))) return (word[..^1], Quoted());
            var dot = word.IndexOf('.');
            return dot < 0 ? ("", word) : (word[..dot], word[(dot + 1)..]);
        }

        public string Operator()
        {
            SkipSpace();
            foreach (var symbol in Symbols)
            {
                if (string.CompareOrdinal(text, pos, symbol, 0, symbol.Length) == 0)
                {
                    pos += symbol.Length;
                    return symbol;
                }
            }
            var word = Word().ToUpperInvariant();
            if (word == "NOT" && Word().Equals("IN", StringComparison.OrdinalIgnoreCase)) return "NOT IN";
            return word is "LIKE" or "ILIKE" or "IN" ? word : throw Error();
        }

        public string Word()
        {
            SkipSpace();
            var start = pos;
            while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] is '_' or '.' or '-' or ':' or '/')) pos++;
            return pos > start ? text[start..pos] : throw Error();
        }

        public string Number()
        {
            SkipSpace();
            var start = pos;
            while (pos < text.Length && (char.IsAsciiDigit(text[pos]) || text[pos] is '-' or '+' or '.' or 'e' or 'E')) pos++;
            var number = text[start..pos];
            return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? number : throw Error();
        }

        public bool PeekQuote() => PeekIs('\'') || PeekIs('"');

        public string Quoted()
        {
            SkipSpace();
            if (pos >= text.Length || text[pos] is not ('\'' or '"' or '`')) throw Error();
            var quote = text[pos++];
            var end = text.IndexOf(quote, pos);
            if (end < 0) throw Error();
            var value = text[pos..end];
            pos = end + 1;
            return value;
        }

        public bool TryTake(char c)
        {
            if (!PeekIs(c)) return false;
            pos++;
            return true;
        }

        public void Expect(char c)
        {
            if (!TryTake(c)) throw Error();
        }

        private bool PeekIs(char c)
        {
            SkipSpace();
            return pos < text.Length && text[pos] == c;
        }

        private void SkipSpace()
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
        }
    }
}
