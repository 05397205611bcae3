using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlflowMsBuild.Core.Credentials.Python;

namespace MlflowMsBuild.Core.Credentials;

/// <summary>
/// A token or password. Every way of turning it into text (<see cref="ToString()"/>, string
/// interpolation, <c>string.Format</c>, the debugger, System.Text.Json) gives <see cref="Redacted"/>;
/// only <see cref="Reveal"/> returns the value, so a secret cannot reach a message, a log line or an
/// exception text by accident. Call <see cref="Reveal"/> only where the value leaves for the server
/// (an HTTP header) and nowhere else.
/// </summary>
[DebuggerDisplay("***")]
[JsonConverter(typeof(RedactingJsonConverter))]
public sealed class Secret : IEquatable<Secret>, ISpanFormattable
{
    /// <summary>What a secret looks like in any text.</summary>
    public const string Redacted = "***";

    private readonly string value;

    /// <param name="value">The secret text; must not be empty.</param>
    public Secret(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        this.value = value;
    }

    /// <summary>The secret value. Send it to the server; never log, format or store it.</summary>
    public string Reveal() => value;

    public override string ToString() => Redacted;

    public string ToString(string? format, IFormatProvider? formatProvider) => Redacted;

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (Redacted.AsSpan().TryCopyTo(destination))
        {
            charsWritten = Redacted.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }

    /// <summary>Compares in constant time, so the comparison does not reveal how much of a value matched.</summary>
    public bool Equals(Secret? other) =>
        other is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(value), Encoding.UTF8.GetBytes(other.value));

    public override bool Equals(object? obj) => Equals(obj as Secret);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(value);

    /// <summary>Writes <see cref="Redacted"/>; reads a plain JSON string.</summary>
    private sealed class RedactingJsonConverter : JsonConverter<Secret>
    {
        public override Secret? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            return string.IsNullOrEmpty(text) ? null : new Secret(text);
        }

        public override void Write(Utf8JsonWriter writer, Secret value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Redacted);
    }
}
