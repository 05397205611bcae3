namespace MlflowMsBuild.Core.Errors;

/// <summary>
/// Every coded diagnostic the product raises. The number is the code users see (<c>MLF1001</c>);
/// the message text lives in Messages.resx under the member's name. Ranges:
/// 1xxx input and configuration, 2xxx registry contents, 3xxx restore and cache, 4xxx publish, 5xxx credentials,
/// 6xxx talking to a registry server, 7xxx model URIs and the command-line tool, 9xxx the machine (disk, permissions).
/// A retired code is never reused.
/// </summary>
public enum MlfError
{
    // 1xxx: Input and configuration.
    ModelNameConvention = 1001,
    ModelNameInvalid = 1002,
    VersionSpecInvalid = 1003,
    RegistrySettingUnsupported = 1004,
    ModelFilesMissing = 1005,
    MetricsFileInvalid = 1006,
    NotAGitRepository = 1007,
    ModelReferenceVersionMissing = 1008,
    ModelFileOutsideRoot = 1009,
    ParamInvalid = 1010,
    /// <summary>Raised by the PublishModel target itself, before the evaluation runs.</summary>
    ModelNameMissing = 1011,
    ModelReferenceConflict = 1012,
    MetricValueOutOfRange = 1013,
    GitRepositoryWithoutCommits = 1014,
    GitNeedsGitCommand = 1015,
    GitCommandFailed = 1016,
    ModelNameRejectedByRegistry = 1017,
    /// <summary>Raised by the targets themselves: the tasks cannot load in this MSBuild.</summary>
    MSBuildHostUnsupported = 1050,
    RequestedVersionNotSupported = 1051,
    ParamReserved = 1052,
    /// <summary>Raised by the restore target itself, before anything is written under the models folder.</summary>
    ModelsDirectoryIsAFile = 1053,
    ReportNumberFormatInvalid = 1070,
    ReportVersionNotExact = 1071,
    ReportMetricUnknown = 1072,
    ReportWithoutModels = 1073,
    /// <summary>A registry address with user information (<c>http://user:password@host</c>): refused, never echoed.</summary>
    RegistryAddressHoldsCredentials = 1085,

    // 2xxx: Registry contents.
    UnknownModel = 2001,
    UnknownVersion = 2002,
    RegistryEntryCorrupt = 2003,
    UnknownModelNoneExist = 2004,
    VersionIncomplete = 2005,
    ModelVersionWithoutFiles = 2006,
    ArtifactListingUnbounded = 2007,
    ArtifactPathNotCanonical = 2008,
    ArtifactSizeMissing = 2009,
    UnknownAlias = 2010,
    /// <summary>The results page (or a figure beside it) differs from what the registry holds for the pinned versions.</summary>
    ReportOutOfDate = 2070,
    /// <summary>A warning: a results page pins a version of a model that has a newer one.</summary>
    ReportNewerVersion = 2071,

    // 3xxx: Restore and cache.
    DownloadSizeMismatch = 3001,
    CacheEntryCorrupt = 3002,
    CacheMutexTimeout = 3003,
    OfflineNotCached = 3004,
    LockFileOutOfDate = 3005,
    LockFileMismatch = 3006,
    LockFileInvalid = 3007,
    DownloadInterrupted = 3008,
    /// <summary>A warning: the damaged copy is downloaded again.</summary>
    CachedCopyChanged = 3009,
    CachedCopyChangedOffline = 3010,
    VersionReplaced = 3011,
    /// <summary>A warning: the replaced version is downloaded again and the lock file updated.</summary>
    VersionReplacedAccepted = 3012,
    /// <summary>The cache folder setting names a file (or a path through one).</summary>
    CacheDirectoryNotAFolder = 3013,

    // 4xxx: Publish.
    PublishFailed = 4001,
    FileNameRejectedByRegistry = 4002,
    DirtyWorkingTree = 4003,
    RunKeyInvalid = 4004,
    ParamValueTooLong = 4005,
    EvaluationOutputMissing = 4006,
    EvaluationOutputUnsupported = 4007,
    ArtifactPathCollision = 4008,
    /// <summary>A warning: the version is published without a commit page.</summary>
    GitRemoteMissing = 4010,
    /// <summary>A warning: the version is published without a commit page.</summary>
    GitRemoteAmbiguous = 4011,
    /// <summary>A warning: the version is published without a commit page.</summary>
    GitRemoteNotWebAddress = 4012,
    FileNameNotPortable = 4009,
    ModelFileChanged = 4013,
    MetricValueNotStored = 4020,
    FileTooLargeForRegistry = 4021,
    ValueTooLongForRegistry = 4022,

    // 5xxx: Credentials and authentication (the messages never hold a secret).
    GitLabConfigFileMissing = 5001,
    ConfigFileInvalid = 5002,
    ConfigValueInvalid = 5003,
    GitLabDefaultSectionInvalid = 5004,
    GitLabHelperFailed = 5005,
    GitLabServerUnknown = 5006,
    GitLabServerInvalid = 5007,
    GitLabTokenMissing = 5008,
    GitLabJobTokenNotAccepted = 5009,
    CertificateFileMissing = 5010,
    MlflowTlsSettingsConflict = 5011,
    EnvironmentBooleanInvalid = 5012,
    MlflowBasicAuthIncomplete = 5013,
    CredentialValueInvalid = 5014,
    /// <summary>A server answered 401/403 and a token was held back because it is configured for another server.</summary>
    CredentialsForAnotherServer = 5015,
    /// <summary>Only a GitLab CI job token, which reads package files only, and no models.lock.json record of the version to restore.</summary>
    GitLabJobTokenNeedsLockFile = 5030,
    RequestTimeoutInvalid = 5085,
    /// <summary>MLFLOW_HTTP_REQUEST_MAX_RETRIES or MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR out of the range mlflow accepts.</summary>
    RetrySettingInvalid = 5086,

    // 6xxx: Talking to a registry server.
    ServerError = 6001,
    Unauthenticated = 6002,
    PermissionDenied = 6003,
    EndpointNotFound = 6004,
    RequestRejected = 6005,
    ConnectionFailed = 6006,
    RequestTimedOut = 6007,
    UnsupportedArtifactLocation = 6008,
    VersionNotReady = 6009,
    UnexpectedResponse = 6010,
    ExperimentDeleted = 6011,
    ExperimentArtifactLocationUnsupported = 6012,

    // 7xxx: Model URIs and the command-line tool.
    ModelUriInvalid = 7001,
    ModelLocationUnsupported = 7002,
    ModelPathNotFound = 7003,
    ModelPathNotADirectory = 7004,
    ModelUriVersionMissing = 7005,
    ModelReferenceRegistryConflict = 7006,
    ModelReferenceVersionConflict = 7007,
    CommandValueInvalid = 7008,
    OfflineNeedsRegistry = 7009,
    LockFileMissing = 7010,
    /// <summary>The <c>mlflow-models</c> command line does not parse: an unknown command or option, a missing argument, a value of the wrong type.</summary>
    CommandLineInvalid = 7060,
    /// <summary>A destination folder given for a model folder's path: the folder is used where it is, never copied.</summary>
    ModelPathDestination = 7095,

    // 9xxx: The machine.
    FileOperationFailed = 9001,
    /// <summary>An exception nobody expected: a bug, reported with a code instead of MSBuild's MSB4018.</summary>
    InternalError = 9999,
}
