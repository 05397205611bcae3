// MSBuild's BuildManager runs one build at a time in this process, and builds change the current directory.
[assembly: DoNotParallelize]
