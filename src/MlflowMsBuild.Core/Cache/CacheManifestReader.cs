using System.Text.Json;
using MlflowMsBuild.Core.Registry;

namespace MlflowMsBuild.Core.Cache;

/// <summary>
/// Reads a cache manifest (the JSON that <see cref="CacheJson"/> writes) with <see cref="Utf8JsonReader"/> alone. Every
/// warm restore reads manifests, and the serializer's first use in a build process (options, converters, metadata)
/// cost about 15 ms of a 50 ms warm restore (issue 10); the reader costs nothing to start. It reads what the
/// serializer would: snake_case names as written, unknown properties skipped, absent ones left at their defaults.
/// </summary>
/// <exception cref="JsonException">Not JSON, or a value of the wrong kind (a string where a number belongs, a null name).</exception>
internal static class CacheManifestReader
{
    public static CacheManifest Read(ReadOnlySpan<byte> json)
    {
        try
        {
            return ReadCore(json);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader.GetString on bytes that are not UTF-8; the serializer reports that as a JsonException too.
            throw new JsonException(e.Message, e);
        }
    }

    private static CacheManifest ReadCore(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var manifest = new CacheManifest();
        if (!reader.Read())
        {
            throw new JsonException("the manifest is empty");
        }

        ReadObject(ref reader, ref manifest, static (ref Utf8JsonReader r, string name, ref CacheManifest m) =>
        {
            switch (name)
            {
                case "registry": m.Registry = ReadString(ref r, name); break;
                case "name": m.Name = ReadString(ref r, name); break;
                case "version": m.Version = ReadString(ref r, name); break;
                case "run_id": m.RunId = ReadString(ref r, name); break;
                case "created_timestamp": m.CreatedTimestamp = ReadInt64(ref r, name); break;
                case "identity": m.Identity = r.TokenType == JsonTokenType.Null ? null : ReadIdentity(ref r); break;
                case "artifact_path": m.ArtifactPath = r.TokenType == JsonTokenType.Null ? null : ReadString(ref r, name); break;
                case "files": m.Files = ReadFiles(ref r); break;
                default: r.Skip(); break;
            }
        });
        if (reader.Read())
        {
            throw new JsonException("text after the manifest's object");
        }

        return manifest;
    }

    private delegate void PropertyReader<T>(ref Utf8JsonReader reader, string name, ref T target);

    /// <summary>Reads the object the reader is on, handing each property (positioned on its value) to <paramref name="read"/>.</summary>
    private static void ReadObject<T>(ref Utf8JsonReader reader, ref T target, PropertyReader<T> read)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("an object was expected");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            read(ref reader, name, ref target);
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("an object was not closed");
        }
    }

    private static VersionIdentity ReadIdentity(ref Utf8JsonReader reader)
    {
        var identity = new IdentityFields();
        ReadObject(ref reader, ref identity, static (ref Utf8JsonReader r, string name, ref IdentityFields i) =>
        {
            switch (name)
            {
                case "run_id": i.RunId = ReadString(ref r, name); break;
                case "creation_time": i.CreationTime = ReadInt64(ref r, name); break;
                case "source": i.Source = ReadString(ref r, name); break;
                case "internal_id": i.InternalId = r.TokenType == JsonTokenType.Null ? null : ReadString(ref r, name); break;
                default: r.Skip(); break;
            }
        });
        return new VersionIdentity(identity.RunId, identity.CreationTime, identity.Source, identity.InternalId);
    }

    private static List<CacheManifestFile> ReadFiles(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("'files' is not an array");
        }

        var files = new List<CacheManifestFile>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var file = new CacheManifestFile();
            ReadObject(ref reader, ref file, static (ref Utf8JsonReader r, string name, ref CacheManifestFile f) =>
            {
                switch (name)
                {
                    case "path": f.Path = ReadString(ref r, name); break;
                    case "size": f.Size = ReadInt64(ref r, name); break;
                    case "sha256": f.Sha256 = ReadString(ref r, name); break;
                    case "blob_modified": f.BlobModified = ReadInt64(ref r, name); break;
                    default: r.Skip(); break;
                }
            });
            files.Add(file);
        }

        return files;
    }

    private static string ReadString(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException($"'{name}' is not a string");

    private static long ReadInt64(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : throw new JsonException($"'{name}' is not a whole number");

    /// <summary><see cref="VersionIdentity"/>'s constructor arguments while they are read (a class: see <see cref="Restore.ModelRestorer"/>'s slots).</summary>
    private sealed class IdentityFields
    {
        public string RunId { get; set; } = "";

        public long CreationTime { get; set; }

        public string Source { get; set; } = "";

        public string? InternalId { get; set; }
    }
}
