using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Cache;

/// <summary>
/// Who holds a cache lock: process id, host and process start time (which tells a live owner from a dead one
/// whose pid was reused), when it took the lock and what for. Written beside the lock file by its holder.
/// </summary>
public sealed class MutexOwner
{
    private static readonly Lazy<long> CurrentStart = new(() => StartTimeOf(Process.GetCurrentProcess()) ?? 0);

    public int Pid { get; set; }

    public string Host { get; set; } = "";

    /// <summary>The owner process's start time, Unix milliseconds (0 when unknown).</summary>
    public long ProcessStart { get; set; }

    /// <summary>When the lock was taken, Unix milliseconds.</summary>
    public long Acquired { get; set; }

    /// <summary>What the owner is doing, e.g. "restoring model 'test-x' version 3".</summary>
    public string Purpose { get; set; } = "";

    public static MutexOwner Current(string purpose) => new()
    {
        Pid = Environment.ProcessId,
        Host = Environment.MachineName,
        ProcessStart = CurrentStart.Value,
        Acquired = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        Purpose = purpose,
    };

    /// <summary>
    /// True when the owner is a process of this host, other than this one, that still runs (same pid and the
    /// same start time). A record of another host cannot be checked and counts as not running here.
    /// </summary>
    public bool IsRunningElsewhere()
    {
        if (!string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase) || Pid == Environment.ProcessId || Pid <= 0)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(Pid);
            var start = StartTimeOf(process);
            return !process.HasExited && (ProcessStart == 0 || start is null || Math.Abs(start.Value - ProcessStart) < 2000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public override string ToString()
    {
        var started = ProcessStart > 0
            ? ", started " + DateTimeOffset.FromUnixTimeMilliseconds(ProcessStart).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : "";
        return $"process {Pid} on host '{Host}'{started}{(Purpose.Length > 0 ? ", " + Purpose : "")}";
    }

    /// <summary>The record at <paramref name="path"/>, or null when there is none or it is unreadable.</summary>
    public static MutexOwner? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? AtomicFile.ReadJson(path, LockOwnerJson.Default.MutexOwner) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the record in the shape <see cref="TryRead"/> reads, with <see cref="Utf8JsonWriter"/> alone: every
    /// placement writes one, and the serializer's first use in a build process cost a warm restore about 10 ms (issue 10).
    /// Without an fsync: the record lives only while its lock is held, and an unreadable one counts as none.
    /// </summary>
    public void Write(string path)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        // Relaxed escaping: the purpose names models in quotes ('test-x'), which the default encoder writes as \u0027; the
        // file is read by this code and by people, never embedded in HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("pid", Pid);
            json.WriteString("host", Host);
            json.WriteNumber("process_start", ProcessStart);
            json.WriteNumber("acquired", Acquired);
            json.WriteString("purpose", Purpose);
            json.WriteEndObject();
        }

        AtomicFile.WriteBytes(path, buffer.WrittenSpan, flushToDisk: false);
    }

    private static long? StartTimeOf(Process process)
    {
        try
        {
            return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeMilliseconds();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(MutexOwner))]
internal sealed partial class LockOwnerJson : JsonSerializerContext;
