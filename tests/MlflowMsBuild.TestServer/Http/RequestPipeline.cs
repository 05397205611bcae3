using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using MlflowMsBuild.TestServer.Faults;

namespace MlflowMsBuild.TestServer.Http;

/// <summary>What differs between the imitated servers: routes, path decoding and the answers outside handlers.</summary>
internal interface IRegistryFlavor
{
    RouteTable Routes { get; }

    /// <summary>Decoded path segments, or null when the path is outside the server (e.g. not under a relative root).</summary>
    IReadOnlyList<string>? Segments(string rawPath);

    /// <summary>Checks done before any route (MLflow's optional auth). Returns an error to answer instead.</summary>
    ApiErrorException? Admit(HttpContext http);

    /// <summary>The answer for an unknown path, or a known path with another method.</summary>
    ApiErrorException NotFound(IReadOnlyList<string> allowedMethods);

    /// <summary>The answer for an unexpected exception.</summary>
    ApiErrorException InternalError();
}

/// <summary>The one middleware: log, faults, dispatch, error answers.</summary>
internal sealed class RequestPipeline(IRegistryFlavor flavor, RequestLog log, FaultInjector faults, TimeProvider time)
{
    public async Task HandleAsync(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path + http.Request.QueryString;
        var queryStart = raw.IndexOf('?');
        var rawPath = queryStart < 0 ? raw : raw[..queryStart];
        var segments = flavor.Segments(rawPath);
        var match = segments is null ? RouteMatch.None : flavor.Routes.Match(http.Request.Method, segments);
        var key = $"{http.Request.Method} {match.Route?.Key ?? "unknown"}";

        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var entry = log.Record(http.Request.Method, raw, key, headers, time.GetUtcNow());
        var connectionLost = false;
        http.Response.OnStarting(() =>
        {
            // After an abort Kestrel may still run these callbacks, but nothing reaches the client.
            if (!connectionLost && !http.RequestAborted.IsCancellationRequested) entry.SetStatus(http.Response.StatusCode);
            return Task.CompletedTask;
        });

        var fault = faults.Take(http.Request.Method, rawPath);
        if (fault is not null) entry.Fault = fault.Describe();
        try
        {
            if (fault is { Kind: FaultKind.Status })
            {
                await WriteFaultStatusAsync(http, fault);
                return;
            }
            if (fault is { Kind: FaultKind.EndlessBody })
            {
                await WriteEndlessBodyAsync(http, fault);
                return;
            }
            if (fault is not null) WrapBody(http, fault);

            var refusal = flavor.Admit(http) ?? (match.Route is null ? flavor.NotFound(match.AllowedMethods) : null);
            if (refusal is not null) throw refusal;
            await match.Route!.Handler(new ApiRequest(http, match.Values!));
        }
        catch (ApiErrorException error) when (!http.Response.HasStarted)
        {
            await WriteErrorAsync(http, error);
        }
        catch (Exception e) when (IsConnectionLoss(e, http))
        {
            // The client went away or an injected reset aborted the connection: nothing to answer.
            connectionLost = true;
        }
        catch (Exception) when (!http.Response.HasStarted)
        {
            await WriteErrorAsync(http, flavor.InternalError());
        }
    }

    private static bool IsConnectionLoss(Exception e, HttpContext http) =>
        e is FaultResetException or ConnectionResetException or OperationCanceledException or BadHttpRequestException
        || http.RequestAborted.IsCancellationRequested;

    private static void WrapBody(HttpContext http, InjectedFault fault)
    {
        var hasRequestBody = http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0;
        if (hasRequestBody) http.Request.Body = new FaultStream(http.Request.Body, fault, http);
        else http.Response.Body = new FaultStream(http.Response.Body, fault, http);
    }

    private static async Task WriteFaultStatusAsync(HttpContext http, InjectedFault fault)
    {
        if (fault.Delay > TimeSpan.Zero) await Task.Delay(fault.Delay, http.RequestAborted);
        http.Response.StatusCode = fault.StatusCode;
        if (fault.RetryAfter is not null) http.Response.Headers.RetryAfter = fault.RetryAfter;
        var body = Encoding.UTF8.GetBytes(fault.Body ?? "");
        if (body.Length > 0) http.Response.ContentType = fault.ContentType;
        http.Response.ContentLength = body.Length;
        if (body.Length > 0) await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    /// <summary>Never returns normally: writes until the client goes away (the pipeline treats that as a lost connection).</summary>
    private static async Task WriteEndlessBodyAsync(HttpContext http, InjectedFault fault)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = fault.ContentType;
        // Counted before each write: a client that has read N bytes always finds BytesSent >= N.
        fault.AddSent(fault.Prefix.Length);
        await http.Response.Body.WriteAsync(fault.Prefix, http.RequestAborted);
        var block = new byte[Math.Max(1, 64 * 1024 / fault.Unit.Length) * fault.Unit.Length];
        for (var i = 0; i < block.Length; i += fault.Unit.Length) fault.Unit.CopyTo(block, i);
        while (true)
        {
            fault.AddSent(block.Length);
            await http.Response.Body.WriteAsync(block, http.RequestAborted);
        }
    }

    private static async Task WriteErrorAsync(HttpContext http, ApiErrorException error)
    {
        http.Response.Clear();
        foreach (var (name, value) in error.Headers) http.Response.Headers.Append(name, value);
        var bytes = Encoding.UTF8.GetBytes(error.Body);
        http.Response.StatusCode = error.Status;
        http.Response.ContentType = error.ContentType;
        http.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(http.Request.Method)) await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }
}
