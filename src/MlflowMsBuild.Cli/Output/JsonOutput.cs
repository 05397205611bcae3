using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MlflowMsBuild.Cli.Output;

internal static class JsonOutput
{
    public static void Write<T>(TextWriter writer, T document, JsonTypeInfo<T> type) =>
        writer.WriteLine(JsonSerializer.Serialize(document, type));
}
