//! The app's screens, one per [`crate::route::Route`].

pub mod doc;
pub mod home;
pub mod search;
pub mod tracks;
