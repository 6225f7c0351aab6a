// The backend surface lives in its own namespace for third-party backends; Core itself uses it everywhere.
global using Eventuali.Extensibility;
