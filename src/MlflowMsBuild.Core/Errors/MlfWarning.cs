namespace MlflowMsBuild.Core.Errors;

/// <summary>A coded warning: the work went on, and the message says what happened and what to do about it.</summary>
/// <param name="Error">The code (the catalogue is shared with errors: a code is either a warning or an error, never both).</param>
public sealed record MlfWarning(MlfError Error, string Message)
{
    public string Code => MlflowException.CodeOf(Error);

    public static MlfWarning Create(MlfError error, params object?[] args) => new(error, MlflowException.Format(error, args));
}
