using System.Globalization;
using System.Resources;

namespace MlflowMsBuild.Core.Errors;

/// <param name="ErrorCode">MLflow's <c>error_code</c> (e.g. RESOURCE_DOES_NOT_EXIST) when the body had one.</param>
public sealed record ApiError(int StatusCode, string? ErrorCode, string? ServerMessage);

/// <summary>A failure the user can act on: a code from <see cref="MlfError"/> and a message saying what to do.</summary>
public sealed class MlflowException : Exception
{
    private static readonly ResourceManager Messages =
        new("MlflowMsBuild.Core.Errors.Messages", typeof(MlflowException).Assembly);

    private readonly object?[] arguments;

    public MlflowException(MlfError error, params object?[] args)
        : this(error, null, args)
    {
    }

    public MlflowException(MlfError error, Exception? inner, params object?[] args)
        : base(Format(error, args), inner)
    {
        Error = error;
        arguments = args;
    }

    public MlfError Error { get; }

    /// <summary>What the registry server answered, when the failure is its answer.</summary>
    public ApiError? ApiError { get; init; }

    /// <summary>
    /// Failures of the same operation beside this one, in request order (the other models of one restore, each with
    /// its own code): hosts report them after this one, so one build names every model that failed.
    /// </summary>
    public IReadOnlyList<MlflowException> AlsoFailed { get; internal set; } = [];

    /// <summary>The code as users see it, e.g. <c>MLF2002</c>.</summary>
    public string Code => CodeOf(Error);

    public static string CodeOf(MlfError error) => "MLF" + ((int)error).ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The message as <paramref name="terms"/>' host names settings (<see cref="Exception.Message"/>: MSBuild's).</summary>
    public string MessageFor(MessageTerms terms) => Format(Error, terms, arguments);

    public static string Format(MlfError error, params object?[] args) => Format(error, MessageTerms.MSBuild, args);

    public static string Format(MlfError error, MessageTerms terms, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var template = Messages.GetString(error.ToString(), CultureInfo.CurrentUICulture)
            ?? throw new InvalidOperationException($"Messages.resx has no text for {error}.");
        return string.Format(CultureInfo.CurrentCulture, terms.Fill(template), args.Select(terms.Fill).ToArray());
    }
}
