using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Tests.TestUtilities;

/// <summary>Asserts that an action fails with one exact <see cref="MlfError"/>.</summary>
internal static class MlfAssert
{
    public static MlflowException Throws(MlfError expected, Action action)
    {
        var exception = Assert.ThrowsExactly<MlflowException>(action);
        Assert.AreEqual(expected, exception.Error, exception.Message);
        Assert.AreEqual(MlflowException.CodeOf(expected), exception.Code);
        return exception;
    }

    public static async Task<MlflowException> ThrowsAsync(MlfError expected, Func<Task> action)
    {
        var exception = await Assert.ThrowsExactlyAsync<MlflowException>(action);
        Assert.AreEqual(expected, exception.Error, exception.Message);
        Assert.AreEqual(MlflowException.CodeOf(expected), exception.Code);
        return exception;
    }
}
