//! The seam every agent CLI sits behind: what it is called, how its binary is found, what it can
//! do, how its own sign-in is done and which providers' profiles it runs with. Each CLI's folder
//! implements it; the registry lists them.

use crate::cli::Named;
use crate::protocol::{AgentCapabilities, AgentProvider, ProfileKind, SignInMethod};

pub trait AgentAdapter: Send + Sync {
    /// Its id on the wire (`grove/agent/start`'s `agent`).
    fn id(&self) -> &'static str;
    /// Its name for people.
    fn label(&self) -> &'static str;
    /// Its binary, the setting that points at it, how to install it.
    fn binary(&self) -> &'static Named;
    fn capabilities(&self) -> AgentCapabilities;
    /// How its own sign-in can be done.
    fn sign_in_methods(&self) -> &'static [SignInMethod];
    /// The providers whose profiles it runs with.
    fn providers(&self) -> &'static [&'static str];
    /// The profile of its own sign-in (`<provider>:<name>`).
    fn own_profile(&self) -> &'static str;
    /// Its providers for people, in the Account view's order.
    fn provider_info(&self) -> Vec<AgentProvider>;
    /// The kinds of profile "Add Profile" offers for it.
    fn profile_kinds(&self) -> Vec<ProfileKind>;
    /// Model aliases offered for its profiles that are not endpoints; `None`: its default only.
    fn models(&self) -> Option<&'static [&'static str]> {
        None
    }
}

/// A provider's line of `provider_info`.
pub fn provider(id: &str, label: &str, icon: &str) -> AgentProvider {
    AgentProvider {
        id: id.into(),
        label: label.into(),
        icon: icon.into(),
    }
}
