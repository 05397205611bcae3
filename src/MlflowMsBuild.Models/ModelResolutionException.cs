namespace MlflowMsBuild.Models;

/// <summary>A model could not be resolved; <see cref="Exception.Message"/> says what to do.</summary>
public sealed class ModelResolutionException : Exception
{
    /// <param name="code">The MlflowMsBuild error code, e.g. <c>MLF2002</c>.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The failure underneath, if any.</param>
    public ModelResolutionException(string code, string message, Exception? innerException = null)
        : base(message, innerException) =>
        Code = code;

    /// <summary>The MlflowMsBuild error code, e.g. <c>MLF2002</c>; the README's error-code table lists them all.</summary>
    public string Code { get; }
}
