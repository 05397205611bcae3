using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MlflowMsBuild.Cli.Output;

internal static class JsonOutput
{
    /// <summary>
    /// Only what JSON requires is escaped (quotes, backslashes, control characters): <c>'</c>, <c>+</c>, <c>`</c>, <c>&lt;</c> and
    /// non-ASCII text stay as they are. The relaxed encoder is unsafe only inside HTML; standard output is read by scripts.
    /// </summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    public static void Write<T>(TextWriter writer, T document, JsonTypeInfo<T> type)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            JsonSerializer.Serialize(json, document, type);
        }

        writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
